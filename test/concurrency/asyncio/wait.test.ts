import { test } from "node:test";
import assert from "node:assert/strict";
import {
  waitFor,
  wait,
  asCompleted,
  timeout,
  sleep,
  createTask,
  TimeoutError,
  CancelledError,
  FIRST_COMPLETED,
  FIRST_EXCEPTION,
  ALL_COMPLETED,
  Future,
} from "../../../src/concurrency/asyncio";
import { bounded } from "./helpers";

test("waitFor returns the result when in time", async () => {
  assert.equal(await bounded(waitFor(() => sleep(0.001, "ok"), 5)), "ok");
  assert.equal(await bounded(waitFor(sleep(0.001, "no limit"), null)), "no limit");
});

test("waitFor times out with TimeoutError and cancels the inner task (its cleanup ran)", async () => {
  let cleaned = false;
  const inner = createTask(async () => {
    try {
      await sleep(30);
    } finally {
      cleaned = true;
    }
  });
  await bounded(
    assert.rejects(waitFor(inner, 0.01), (e: unknown) => {
      assert.ok(e instanceof TimeoutError);
      assert.equal((e as TimeoutError).code, "ERR_SPINDLE_TIMEOUT");
      assert.match((e as Error).message, /raise the timeout/);
      return true;
    }),
  );
  assert.equal(inner.cancelled(), true);
  assert.equal(cleaned, true, "the inner task had finished cancelling before waitFor threw");
});

test("waitFor passes the inner error through", async () => {
  await bounded(
    assert.rejects(
      waitFor(async () => {
        throw new RangeError("inner");
      }, 1),
      RangeError,
    ),
  );
});

test("waitFor rejects a bad timeout", async () => {
  await assert.rejects(waitFor(sleep(0), -1), { code: "ERR_SPINDLE_BAD_DURATION" });
});

test("wait ALL_COMPLETED returns every future done", async () => {
  const a = createTask(() => sleep(0.002, "a"));
  const b = createTask(() => sleep(0.004, "b"));
  const [done, pending] = await bounded(wait([a, b]));
  assert.equal(done.size, 2);
  assert.equal(pending.size, 0);
  assert.deepEqual([...done].map((f) => f.result()).sort(), ["a", "b"]);
});

test("wait FIRST_COMPLETED returns after the first; nothing is cancelled", async () => {
  const fast = createTask(() => sleep(0.001, "fast"));
  const gate = new Future<string>();
  const slow = createTask(() => gate);
  const [done, pending] = await bounded(wait([fast, slow], { returnWhen: FIRST_COMPLETED }));
  assert.deepEqual([...done], [fast]);
  assert.deepEqual([...pending], [slow]);
  gate.setResult("slow");
  assert.equal(await bounded(slow), "slow");
});

test("wait FIRST_EXCEPTION returns at the first error", async () => {
  const ok = createTask(() => sleep(0.001, "ok"));
  const bad = createTask(async () => {
    await ok;
    throw new Error("x");
  });
  const slow = createTask(() => new Future<void>());
  const [done, pending] = await bounded(wait([bad, ok, slow], { returnWhen: FIRST_EXCEPTION }));
  assert.ok(done.has(bad) && done.has(ok));
  assert.deepEqual([...pending], [slow]);
  slow.cancel();
});

test("wait with a timeout returns what is done and leaves the rest running", async () => {
  const slow = createTask(() => new Future<string>());
  const [done, pending] = await bounded(wait([slow], { timeout: 0.005, returnWhen: ALL_COMPLETED }));
  assert.equal(done.size, 0);
  assert.deepEqual([...pending], [slow]);
  assert.equal(slow.done(), false);
  slow.cancel();
});

test("asCompleted yields outcomes in finishing order", async () => {
  const [a, b, c] = [new Future<string>(), new Future<string>(), new Future<string>()];
  const seen: string[] = [];
  const reader = (async () => {
    for await (const r of asCompleted([c, a, b])) seen.push(r);
  })();
  for (const [f, v] of [
    [a, "a"],
    [b, "b"],
    [c, "c"],
  ] as const) {
    f.setResult(v);
    await sleep(0);
  }
  await bounded(reader);
  assert.deepEqual(seen, ["a", "b", "c"]);
});

test("asCompleted: an error comes out at its turn, a timeout rejects the rest", async () => {
  const first = sleep(0.001, "a");
  const ps = asCompleted(
    [
      first,
      (async () => {
        await first;
        throw new Error("bad");
      })(),
      sleep(30, "late"),
    ],
    { timeout: 0.05 },
  );
  assert.equal(await bounded(ps[0]!), "a");
  await bounded(assert.rejects(ps[1]!, /bad/));
  await bounded(assert.rejects(ps[2]!, TimeoutError));
});

test("timeout() returns the body's result when in time, and its handle reports expiry", async () => {
  const r = await bounded(
    timeout(1, async (scope) => {
      await sleep(0.001);
      return scope.expired() ? "late" : "in time";
    }),
  );
  assert.equal(r, "in time");
});

test("timeout() cancels the body when time runs out and throws TimeoutError", async () => {
  const steps: string[] = [];
  await bounded(
    assert.rejects(
      timeout(0.01, async () => {
        try {
          await sleep(30);
        } catch (e) {
          steps.push(e instanceof CancelledError ? "body cancelled" : "other");
          throw e;
        }
      }),
      TimeoutError,
    ),
  );
  assert.deepEqual(steps, ["body cancelled"]);
});

test("timeout(): reschedule moves the deadline; null means none", async () => {
  const r = await bounded(
    timeout(0.005, async (scope) => {
      scope.reschedule(null);
      await sleep(0.02);
      return "survived";
    }),
  );
  assert.equal(r, "survived");
});

test("timeout() inside a task: cancelling the task stays a CancelledError, not a TimeoutError", async () => {
  const t = createTask(() => timeout(5, () => sleep(30)));
  await sleep(0.005);
  t.cancel();
  await bounded(
    t.then(
      () => assert.fail(),
      (e: unknown) => assert.ok(e instanceof CancelledError && !(e instanceof TimeoutError)),
    ),
  );
});

test("timeout() also cancels a task the body awaits", async () => {
  const inner = createTask(() => sleep(30));
  await bounded(
    assert.rejects(
      timeout(0.01, () => inner),
      TimeoutError,
    ),
  );
  assert.equal(inner.cancelled(), true);
});
