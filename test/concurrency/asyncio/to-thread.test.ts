import { test } from "node:test";
import assert from "node:assert/strict";
import { threadId } from "node:worker_threads";
import { toThread, createTask, sleep, gather, CancelledError } from "../../../src/concurrency/asyncio";
import { SpindleError } from "../../../src/errors";
import { bounded } from "./helpers";

test("toThread runs the function on another thread with its arguments", async () => {
  const r = await bounded(
    toThread(
      (a: number, b: number) => {
        const { threadId: tid } = require("node:worker_threads") as typeof import("node:worker_threads");
        return { sum: a + b, tid };
      },
      2,
      3,
    ),
    60_000,
  );
  assert.equal(r.sum, 5);
  assert.notEqual(r.tid, threadId);
});

test("the main thread's tasks keep running while the thread blocks", async () => {
  let ticks = 0;
  const ticker = createTask(async () => {
    for (;;) {
      await sleep(0.002);
      ticks++;
    }
  });
  const blocked = toThread(() => {
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 150);
    return "unblocked";
  });
  const ticksAtStart = ticks;
  assert.equal(await bounded(blocked, 60_000), "unblocked");
  ticker.cancel();
  await bounded(
    ticker.then(
      () => undefined,
      () => undefined,
    ),
  );
  assert.ok(ticks > ticksAtStart, "the event loop was free while the thread blocked");
});

test("an error thrown on the thread keeps its class and message", async () => {
  await bounded(
    assert.rejects(
      toThread(() => {
        throw new RangeError("from the thread");
      }),
      (e: unknown) => {
        assert.ok(e instanceof RangeError);
        assert.equal((e as Error).message, "from the thread");
        return true;
      },
    ),
    60_000,
  );
});

test("async functions work; several threads run at once", async () => {
  const r = await bounded(
    gather(
      toThread(async (n: number) => {
        await new Promise((res) => setTimeout(res, 5));
        return n * 2;
      }, 21),
      toThread((s: string) => s.toUpperCase(), "ok"),
    ),
    60_000,
  );
  assert.deepEqual(r, [42, "OK"]);
});

test("a function that captures a mutable variable is refused before anything runs", async () => {
  let counter = 0;
  const bump = (): number => counter + 1;
  counter++;
  await bounded(
    assert.rejects(toThread(bump), (e: unknown) => {
      assert.ok(e instanceof SpindleError, String(e));
      assert.match(e.message, /counter/);
      assert.equal(e.code, "ERR_SPINDLE_SHIP_MUTABLE_CAPTURE");
      return true;
    }),
    60_000,
  );
});

test("a non-function is refused with a stable code", async () => {
  await bounded(assert.rejects(toThread(42 as unknown as () => void), { code: "ERR_SPINDLE_TO_THREAD_ARG" }));
});

test("cancelling the awaiting task does not wait for the thread (as in Python)", async () => {
  const outer = createTask(async () =>
    toThread(() => {
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 100);
      return 1;
    }),
  );
  await sleep(0.005);
  outer.cancel();
  await bounded(
    outer.then(
      () => assert.fail(),
      (e: unknown) => assert.ok(e instanceof CancelledError),
    ),
    60_000,
  );
});
