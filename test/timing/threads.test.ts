import { test } from "node:test";
import assert from "node:assert/strict";
import { Lock, Thread } from "../../src/concurrency/threading";
import { timeline } from "../../src/timing/timeline";
import { waitingThreads } from "../../src/concurrency/shared/registry";
import { overlapSeconds } from "../../src/timing/timeline-model";

function busyRounds(lock: Lock | null, rounds: number, ms: number): void {
  for (let r = 0; r < rounds; r++) {
    if (lock) lock.acquireSync();
    const end = Date.now() + ms;
    while (Date.now() < end) {
      /* work while holding the lock */
    }
    if (lock) lock.release();
  }
}

async function runTwo(lock: Lock | null): Promise<void> {
  const threads = ["worker A", "worker B"].map((name) => new Thread({ target: busyRounds, args: [lock, 4, 15], name }));
  for (const t of threads) t.start();
  for (const t of threads) await t.join();
}

test("spindle threads under one Lock: each holds it 4 times, never both at once; the main thread's joins are waits", {
  timeout: 60_000,
}, async () => {
  const lock = new Lock();
  const tl = await timeline(() => runTwo(lock));
  const [a, b] = [tl.lane("worker A"), tl.lane("worker B")];
  assert.ok(a && b, `lanes: ${tl.lanes.map((l) => l.name).join(", ")}`);
  assert.equal(a.holding.length, 4);
  assert.equal(b.holding.length, 4);
  assert.equal(overlapSeconds(a.holding, b.holding), 0);
  assert.ok(a.holding.every((h) => /^Lock-\d+$/.test(h.what ?? "")));
  const main = tl.lane("MainThread");
  assert.ok(main);
  assert.deepEqual(
    main.waiting.map((w) => w.what),
    ["join worker A", "join worker B"].slice(0, main.waiting.length),
  );
  assert.ok(main.waiting.length >= 1);
});

test("spindle threads without a lock: their run times overlap when a partner is guaranteed to be running", {
  timeout: 60_000,
}, async () => {
  // Each thread spins until both have started, so the overlap is built in rather than hoped for.
  const meet = (flags: Int32Array, me: number): void => {
    Atomics.store(flags, me, 1);
    const deadline = Date.now() + 20_000;
    while (Atomics.load(flags, 1 - me) === 0 && Date.now() < deadline) {
      /* wait for the partner */
    }
    const end = Date.now() + 40;
    while (Date.now() < end) {
      /* both running now */
    }
  };
  const flags = new Int32Array(new SharedArrayBuffer(8));
  const tl = await timeline(async () => {
    const threads = [0, 1].map((me) => new Thread({ target: meet, args: [flags, me], name: `T${me}` }));
    for (const t of threads) t.start();
    for (const t of threads) await t.join();
  });
  const [a, b] = [tl.lane("T0"), tl.lane("T1")];
  assert.ok(a && b, `lanes: ${tl.lanes.map((l) => l.name).join(", ")}`);
  assert.ok(overlapSeconds(a.running, b.running) >= 0.035);
});

test("a consumer thread waiting on an empty spindle Queue shows a wait that ends when the item arrives", {
  timeout: 60_000,
}, async () => {
  const { Queue } = await import("../../src/concurrency/queue");
  const q = new Queue<number>();
  const consume = (queue: typeof q): number => queue.getSync();
  const tl = await timeline(async () => {
    const t = new Thread({ target: consume, args: [q], name: "consumer" });
    t.start();
    // Put only once the consumer is registered as waiting (then a little later, so the wait is visible).
    const deadline = Date.now() + 20_000;
    while (!waitingThreads().some((w) => w.ident === t.ident) && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 5));
    await new Promise((r) => setTimeout(r, 40));
    await q.put(42);
    await t.join();
  });
  const lane = tl.lane("consumer");
  assert.ok(lane, `lanes: ${tl.lanes.map((l) => l.name).join(", ")}`);
  assert.equal(lane.waiting.length, 1, JSON.stringify(tl.events.map((e) => [e.lane, e.kind, e.what, e.span])));
  assert.match(lane.waiting[0]?.what ?? "", /^Queue-\d+$/);
  assert.ok((lane.waiting[0]?.to ?? 0) - (lane.waiting[0]?.from ?? 0) > 0.02);
  assert.ok(lane.markers.some((m) => m.kind === "get"));
  const main = tl.lane("MainThread");
  assert.ok(main?.markers.some((m) => m.kind === "put"));
  assert.equal(lane.holding.length, 0, "the queue's internal lock is not drawn");
});
