import { test } from "node:test";
import assert from "node:assert/strict";
import { timeline } from "../../../src/timing";
import { createTask, gather, sleep, Lock } from "../../../src/concurrency/asyncio";
import { bounded } from "./helpers";

test("each task is a lane of the timeline; their sleeps overlap", async () => {
  const tl = await bounded(
    timeline(async () => {
      await gather(...["a", "b", "c"].map((name) => createTask(() => sleep(0.05), { name: `sleeper-${name}` })));
    }),
    10_000,
  );
  const lanes = ["a", "b", "c"].map((n) => tl.lane(`sleeper-${n}`));
  for (const lane of lanes) {
    assert.ok(lane, "a lane per task");
    assert.equal(lane.sleeping.length, 1);
  }
  const starts = lanes.map((l) => l!.sleeping[0]!.from);
  const ends = lanes.map((l) => l!.sleeping[0]!.to);
  assert.ok(Math.max(...starts) < Math.min(...ends), "the three sleeps overlap in time");
});

test("a task waiting for a Lock shows a waiting span", async () => {
  const lock = new Lock();
  const tl = await bounded(
    timeline(async () => {
      await lock.acquire();
      const waiter = createTask(() => lock.withLock(async () => undefined), { name: "waiter" });
      await sleep(0.02);
      lock.release();
      await waiter;
    }),
    10_000,
  );
  const lane = tl.lane("waiter");
  assert.ok(lane);
  assert.equal(lane.waiting.length, 1);
});

test("CPU-bound tasks gathered never run at the same time on the timeline", async () => {
  const spin = (ms: number): void => {
    const end = performance.now() + ms;
    while (performance.now() < end);
  };
  const tl = await bounded(
    timeline(async () => {
      await gather(...["x", "y", "z"].map((n) => createTask(async () => spin(15), { name: `cpu-${n}` })));
    }),
    10_000,
  );
  const intervals = ["x", "y", "z"].flatMap((n) => tl.lane(`cpu-${n}`)?.alive ?? []).sort((a, b) => a.from - b.from);
  assert.equal(intervals.length, 3);
  for (let i = 1; i < intervals.length; i++)
    assert.ok(intervals[i]!.from >= intervals[i - 1]!.to, "one task at a time");
});
