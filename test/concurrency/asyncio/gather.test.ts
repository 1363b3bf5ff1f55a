import { test } from "node:test";
import assert from "node:assert/strict";
import { gather, sleep, createTask, CancelledError, Event } from "../../../src/concurrency/asyncio";
import { anyOverlap, bounded, timed, turns, type Interval } from "./helpers";

test("results come back in argument order, not finishing order", async () => {
  const order: number[] = [];
  const gates = [new Event(), new Event(), new Event()];
  const work = async (n: number): Promise<number> => {
    await gates[n - 1]!.wait();
    order.push(n);
    return n * 10;
  };
  const all = gather(work(1), work(2), work(3));
  for (const n of [2, 3, 1]) {
    gates[n - 1]!.set();
    await sleep(0);
  }
  const results = await bounded(all);
  assert.deepEqual(order, [2, 3, 1]);
  assert.deepEqual(results, [10, 20, 30]);
});

test("the awaitables run concurrently: every sleep starts before any ends", async () => {
  const intervals: Interval[] = [];
  const starts: number[] = [];
  const ends: number[] = [];
  const job = (): Promise<void> =>
    timed(intervals, async () => {
      starts.push(performance.now());
      await sleep(0.05);
      ends.push(performance.now());
    });
  await bounded(gather(job(), job(), job()));
  assert.ok(Math.max(...starts) < Math.min(...ends), "all three were sleeping at the same time");
  assert.ok(anyOverlap(intervals));
});

test("functions, promises, tasks and plain values mix", async () => {
  const t = createTask(async () => "task");
  const r = await bounded(gather(() => sleep(0.001, "fn"), Promise.resolve("promise"), t));
  assert.deepEqual(r, ["fn", "promise", "task"]);
});

test("the first error rejects gather; the other awaitables keep running", async () => {
  let slowFinished = false;
  const gate = new Event();
  const slow = createTask(async () => {
    await gate.wait();
    slowFinished = true;
    return "slow";
  });
  const boom = new Error("boom");
  await bounded(
    assert.rejects(
      gather(slow, async () => {
        await sleep(0.002);
        throw boom;
      }),
      (e) => e === boom,
    ),
  );
  assert.equal(slowFinished, false);
  gate.set();
  assert.equal(await bounded(slow), "slow");
  assert.equal(slowFinished, true);
});

test("returnExceptions puts errors among the results", async () => {
  const boom = new TypeError("bad");
  const cancelled = createTask(() => sleep(30));
  const g = gather(
    () => sleep(0.001, 1),
    async () => {
      throw boom;
    },
    cancelled,
    { returnExceptions: true },
  );
  await turns(1);
  cancelled.cancel();
  const r = await bounded(g);
  assert.equal(r[0], 1);
  assert.equal(r[1], boom);
  assert.ok(r[2] instanceof CancelledError);
});

test("gather() with nothing resolves to []", async () => {
  assert.deepEqual(await bounded(gather()), []);
});

test("cancelling the gather cancels every child still running", async () => {
  const cleaned: number[] = [];
  const child = (n: number) => async (): Promise<void> => {
    try {
      await sleep(30);
    } finally {
      cleaned.push(n);
    }
  };
  const g = gather(child(1), child(2), () => sleep(0.001, "quick"));
  await sleep(0.01);
  assert.equal(g.cancel(), true);
  await bounded(
    g.then(
      () => assert.fail("should be cancelled"),
      (e: unknown) => assert.ok(e instanceof CancelledError),
    ),
  );
  assert.deepEqual(cleaned.sort(), [1, 2]);
});

test("cancelling the task awaiting gather cancels the children", async () => {
  const cleaned: string[] = [];
  const outer = createTask(async () => {
    await gather(
      async () => {
        try {
          await sleep(30);
        } finally {
          cleaned.push("a");
        }
      },
      async () => {
        try {
          await sleep(30);
        } finally {
          cleaned.push("b");
        }
      },
    );
  });
  await sleep(0.005);
  outer.cancel();
  await bounded(
    outer.then(
      () => assert.fail(),
      (e: unknown) => assert.ok(e instanceof CancelledError),
    ),
  );
  assert.deepEqual(cleaned.sort(), ["a", "b"]);
});

test("a child's error is not also reported as never retrieved", async () => {
  const written: string[] = [];
  const original = process.stderr.write.bind(process.stderr);
  process.stderr.write = ((chunk: string | Uint8Array) => {
    written.push(String(chunk));
    return true;
  }) as typeof process.stderr.write;
  try {
    await bounded(
      gather(
        async () => {
          throw new Error("seen by gather");
        },
        { returnExceptions: true },
      ),
    );
    await turns(3);
  } finally {
    process.stderr.write = original;
  }
  assert.equal(written.join("").includes("never retrieved"), false);
});
