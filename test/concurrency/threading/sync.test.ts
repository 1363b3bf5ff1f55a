import { test } from "node:test";
import assert from "node:assert/strict";
import {
  Thread,
  Semaphore,
  BoundedSemaphore,
  Event,
  Condition,
  Lock,
  Barrier,
  RuntimeError,
  ValueError,
  BrokenBarrierError,
  WouldBlockError,
  sharedArray,
  shared,
} from "../../../src/concurrency/threading";
import { sleep } from "../../../src/concurrency/time";
import { until, within } from "../../helpers/wait";

const LONG = 30_000;

/** One visitor: enter the room (counted), stay a moment, leave. stats: [inside now, most inside, visits]. */
async function visit(sem: Semaphore, stats: Int32Array): Promise<void> {
  await sem.acquire();
  try {
    const inside = Atomics.add(stats, 0, 1) + 1;
    for (let seen = Atomics.load(stats, 1); inside > seen; seen = Atomics.load(stats, 1)) {
      if (Atomics.compareExchange(stats, 1, seen, inside) === seen) break;
    }
    await sleep(0.02);
    Atomics.add(stats, 2, 1);
    Atomics.sub(stats, 0, 1);
  } finally {
    sem.release();
  }
}

test("Semaphore: never more than N inside at once, and everyone gets in", async () => {
  for (const bound of [1, 2, 3]) {
    const sem = new Semaphore(bound);
    const stats = sharedArray("int32", 3);
    const threads = Array.from({ length: 7 }, () => new Thread({ target: visit, args: [sem, stats] }));
    for (const t of threads) t.start();
    await within(Promise.all(threads.map((t) => t.join())), LONG, "visitors");
    assert.ok(stats[1]! <= bound, `at most ${bound} inside (saw ${stats[1]})`);
    assert.ok(stats[1]! >= 1);
    assert.equal(stats[2], 7);
    assert.equal(stats[0], 0);
  }
});

test("Semaphore may be released beyond its start; BoundedSemaphore refuses with ValueError", async () => {
  const sem = new Semaphore(1);
  sem.release();
  assert.equal(await sem.acquire(false), true);
  assert.equal(await sem.acquire(false), true);
  assert.equal(await sem.acquire(false), false);
  const bounded = new BoundedSemaphore(2);
  assert.equal(await bounded.acquire(), true);
  bounded.release();
  assert.throws(
    () => bounded.release(),
    (err: unknown) => err instanceof ValueError && err.code === "ERR_SPINDLE_SEMAPHORE_OVER_RELEASE",
  );
  assert.throws(() => new Semaphore(-1), ValueError);
  assert.equal(await sem.acquire({ timeout: 0.02 }), false);
});

test("Semaphore: a waiting thread wakes on release; BoundedSemaphore over-release in a thread keeps its class", async () => {
  const sem = new BoundedSemaphore(1);
  await sem.acquire();
  const out = shared({ got: false, code: "" });
  const t = new Thread({
    target: (s: BoundedSemaphore) => {
      out.got = s.acquireSync(true, 10);
      s.release();
      try {
        s.release();
      } catch (err) {
        out.code = `${(err as Error).name}:${(err as { code: string }).code}`;
      }
    },
    args: [sem],
  });
  t.start();
  await sleep(0.03);
  sem.release();
  await within(t.join(), LONG, "waiter");
  assert.equal(out.got, true);
  assert.equal(out.code, "ValueError:ERR_SPINDLE_SEMAPHORE_OVER_RELEASE");
});

test("Event: wait(timeout) is false on timeout; set() wakes every waiter; clear() resets", async () => {
  const ev = new Event();
  assert.equal(ev.isSet(), false);
  assert.equal(await ev.wait(0.02), false);
  assert.throws(() => ev.waitSync(), WouldBlockError);
  const woke = sharedArray("int32", 1);
  const threads = Array.from(
    { length: 3 },
    () =>
      new Thread({
        target: (e: Event, w: Int32Array) => {
          if (e.waitSync()) Atomics.add(w, 0, 1);
        },
        args: [ev, woke],
      }),
  );
  for (const t of threads) t.start();
  await sleep(0.05);
  assert.equal(Atomics.load(woke, 0), 0, "nobody passes before set()");
  ev.set();
  await within(Promise.all(threads.map((t) => t.join())), LONG, "waiters");
  assert.equal(Atomics.load(woke, 0), 3);
  assert.equal(await ev.wait(), true);
  ev.clear();
  assert.equal(ev.isSet(), false);
  assert.equal(await ev.wait(0), false);
});

test("Condition: wait/notify need the lock (RuntimeError); wait(timeout) is false on timeout", async () => {
  const cond = new Condition(new Lock());
  assert.throws(
    () => cond.notify(),
    (err: unknown) => err instanceof RuntimeError && err.code === "ERR_SPINDLE_NOT_OWNER",
  );
  await assert.rejects(cond.wait(0.01), RuntimeError);
  await cond.acquire();
  assert.equal(await cond.wait(0.02), false);
  cond.notify();
  cond.release();
  const rcond = new Condition();
  await rcond.acquire();
  await rcond.acquire();
  assert.equal(await rcond.wait(0.01), false, "an RLock held twice is released and re-taken around the wait");
  rcond.release();
  rcond.release();
});

test("Condition: notify wakes waiters oldest first, one per notify", async () => {
  const cond = new Condition();
  const log = sharedArray("int32", 8);
  const ready = sharedArray("int32", 1);
  const threads: Thread[] = [];
  for (let i = 0; i < 4; i++) {
    const t = new Thread({
      target: async (c: Condition, out: Int32Array, r: Int32Array, me: number) => {
        await c.acquire();
        Atomics.add(r, 0, 1);
        await c.wait();
        out[Atomics.add(out, 7, 1)] = me + 1;
        c.release();
      },
      args: [cond, log, ready, i],
    });
    t.start();
    // Thread i is waiting once it has counted itself and we can take the lock (its wait released it).
    await until(() => Atomics.load(ready, 0) === i + 1, LONG, `thread ${i} to arrive`);
    await cond.acquire();
    cond.release();
    threads.push(t);
  }
  for (let i = 0; i < 4; i++) {
    await cond.acquire();
    cond.notify();
    cond.release();
    await until(() => Atomics.load(log, 7) === i + 1, LONG, `wake-up ${i + 1}`);
  }
  await within(Promise.all(threads.map((t) => t.join())), LONG, "waiters");
  assert.deepEqual([...log.slice(0, 4)], [1, 2, 3, 4]);
});

test("Condition: notifyAll wakes everyone; waitFor returns the predicate's value", async () => {
  const cond = new Condition();
  const box = shared({ items: 0 });
  const woke = sharedArray("int32", 1);
  const threads = Array.from(
    { length: 3 },
    () =>
      new Thread({
        target: async (c: Condition, b: { items: number }, w: Int32Array) => {
          await c.acquire();
          const ok = await c.waitFor(() => b.items >= 3, 20);
          if (ok) Atomics.add(w, 0, 1);
          c.release();
        },
        args: [cond, box, woke],
      }),
  );
  for (const t of threads) t.start();
  for (let i = 0; i < 3; i++) {
    await sleep(0.01);
    await cond.withLock(() => {
      box.items++;
      cond.notifyAll();
    });
  }
  await within(Promise.all(threads.map((t) => t.join())), LONG, "waiters");
  assert.equal(Atomics.load(woke, 0), 3);
  await cond.acquire();
  assert.equal(await cond.waitFor(() => box.items > 10, 0.02), false);
  cond.release();
});

test("Barrier: all parties pass together with distinct indices; the action runs once", async () => {
  const counts = sharedArray("int32", 4);
  const barrier = new Barrier(3, { action: () => Atomics.add(counts, 0, 1) });
  const threads = Array.from(
    { length: 3 },
    () =>
      new Thread({
        target: (b: Barrier, c: Int32Array) => {
          const index = b.waitSync(20);
          Atomics.or(c, 1, 1 << index);
          Atomics.add(c, 2, Atomics.load(c, 0));
        },
        args: [barrier, counts],
      }),
  );
  for (const t of threads) t.start();
  await within(Promise.all(threads.map((t) => t.join())), LONG, "parties");
  assert.equal(counts[0], 1, "the action ran once");
  assert.equal(counts[1], 0b111, "indices 0, 1, 2");
  assert.equal(counts[2], 3, "everyone passed after the action");
  assert.equal(barrier.nWaiting, 0);
});

test("Barrier: a timeout breaks it for everyone; reset() makes it usable again", async () => {
  const barrier = new Barrier(2);
  await assert.rejects(barrier.wait(0.02), BrokenBarrierError);
  assert.equal(barrier.broken, true);
  await assert.rejects(barrier.wait(), BrokenBarrierError);
  barrier.reset();
  assert.equal(barrier.broken, false);
  const t = new Thread({ target: (b: Barrier) => b.waitSync(20), args: [barrier] });
  t.start();
  const index = await within(barrier.wait(20), LONG, "main at the barrier");
  await within(t.join(), LONG, "thread");
  assert.ok(index === 0 || index === 1);
});
