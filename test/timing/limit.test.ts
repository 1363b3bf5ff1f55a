import { test } from "node:test";
import assert from "node:assert/strict";
import { Lock } from "../../src/concurrency/threading";
import { sleep } from "../../src/concurrency/time/index";
import { PER_THREAD_LIMIT } from "../../src/recorder/record";
import { timeline, track } from "../../src/timing/timeline";

test("a wait still open when its thread passes the event limit ends where the lock was taken", {
  timeout: 60_000,
}, async () => {
  const lock = new Lock();
  const busy = new Lock();
  const tl = await timeline(async () => {
    await lock.acquire();
    const waiter = track("waiter", async () => {
      await lock.acquire();
      await sleep(0.05); // holds it a while, so a wait drawn to the lane's end would show
      lock.release();
    });
    await new Promise((r) => setTimeout(r, 20));
    // Past the limit on this thread while the waiter's wait is open.
    for (let i = 0; i < PER_THREAD_LIMIT + 1000; i++) {
      busy.acquireSync(false);
      busy.release();
    }
    lock.release();
    await waiter;
  });
  const lane = tl.lane("waiter");
  assert.ok(lane, `lanes: ${tl.lanes.map((l) => l.name).join(", ")}`);
  assert.equal(lane.waiting.length, 1);
  assert.ok(
    (lane.waiting[0]?.to ?? 0) <= lane.alive.to - 0.03,
    `wait ${JSON.stringify(lane.waiting[0])}, alive ${JSON.stringify(lane.alive)}`,
  );
  assert.ok(tl.lost.limited > 0);
});

test("past the limit, lock events are counted exactly; the first ones still draw holding bands", async () => {
  const lock = new Lock();
  const pairs = PER_THREAD_LIMIT * 3 + 77;
  const tl = await timeline(() => {
    for (let i = 0; i < pairs; i++) {
      lock.acquireSync(false);
      lock.release();
    }
  });
  assert.equal(tl.events.length, PER_THREAD_LIMIT);
  assert.equal(tl.lost.limited, pairs * 2 - PER_THREAD_LIMIT);
  assert.equal(tl.lane("MainThread")?.holding.length, PER_THREAD_LIMIT / 2);
});
