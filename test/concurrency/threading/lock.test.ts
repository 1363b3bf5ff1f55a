import { test } from "node:test";
import assert from "node:assert/strict";
import {
  Thread,
  Lock,
  RLock,
  RuntimeError,
  WouldBlockError,
  shared,
  sharedArray,
} from "../../../src/concurrency/threading";
import { sleep } from "../../../src/concurrency/time";
import { until, within } from "../../helpers/wait";

const LONG = 30_000;
const THREADS = 4;
const ROUNDS = 20_000;

/** Each thread adds 1 to a shared counter ROUNDS times: read, then write (a real race without the lock). */
async function hammer(counter: { n: number }, lock: Lock | RLock | undefined, sync: boolean): Promise<void> {
  for (let i = 0; i < ROUNDS; i++) {
    if (lock && sync) lock.acquireSync();
    else if (lock) await lock.acquire();
    const v = counter.n;
    counter.n = v + 1;
    lock?.release();
  }
}

async function runHammer(lock: Lock | RLock | undefined, sync: boolean): Promise<number> {
  const counter = shared({ n: 0 });
  const threads = Array.from({ length: THREADS }, () => new Thread({ target: hammer, args: [counter, lock, sync] }));
  for (const t of threads) t.start();
  await within(Promise.all(threads.map((t) => t.join())), LONG, "hammer threads");
  return counter.n;
}

test("Lock: mutual exclusion under contention, counted exactly (awaited and blocking forms)", async () => {
  assert.equal(await runHammer(new Lock(), false), THREADS * ROUNDS);
  assert.equal(await runHammer(new Lock(), true), THREADS * ROUNDS);
});

test("RLock: mutual exclusion under contention, counted exactly", async () => {
  assert.equal(await runHammer(new RLock(), true), THREADS * ROUNDS);
});

test("the main thread contends with workers for the same lock, awaiting", async () => {
  const lock = new Lock();
  const counter = shared({ n: 0 });
  const threads = Array.from({ length: 2 }, () => new Thread({ target: hammer, args: [counter, lock, true] }));
  for (const t of threads) t.start();
  for (let i = 0; i < 2000; i++) {
    await lock.acquire();
    const v = counter.n;
    counter.n = v + 1;
    lock.release();
  }
  await within(Promise.all(threads.map((t) => t.join())), LONG, "threads");
  assert.equal(counter.n, 2 * ROUNDS + 2000);
});

test("Lock: releasing an unlocked lock is a RuntimeError; another thread may release a held lock", async () => {
  const lock = new Lock();
  assert.throws(
    () => lock.release(),
    (err: unknown) => err instanceof RuntimeError && err.code === "ERR_SPINDLE_RELEASE_UNLOCKED",
  );
  await lock.acquire();
  const t = new Thread({ target: (l: Lock) => l.release(), args: [lock] });
  t.start();
  await within(t.join(), LONG, "releaser");
  assert.equal(lock.locked(), false);
});

test("Lock: non-blocking and timed acquire; blocking sync acquire is refused on the main thread", async () => {
  const lock = new Lock();
  assert.equal(await lock.acquire(false), true);
  assert.equal(await lock.acquire(false), false);
  assert.equal(lock.acquireSync({ blocking: false }), false);
  assert.throws(() => lock.acquireSync(), WouldBlockError);
  const t0 = performance.now();
  assert.equal(await lock.acquire({ timeout: 0.05 }), false);
  assert.ok(performance.now() - t0 >= 45, "waited about the timeout");
  const result = shared({ got: -1 });
  const t = new Thread({
    target: async (l: Lock) => {
      result.got = (await l.acquire(true, 0.05)) ? 1 : 0;
    },
    args: [lock],
  });
  t.start();
  await within(t.join(), LONG, "timed acquire in a thread");
  assert.equal(result.got, 0);
  lock.release();
  await assert.rejects(lock.acquire(false, 1) as Promise<boolean>, /timeout cannot be given with blocking = false/);
});

test("withLock releases on every path, including a throw", async () => {
  const lock = new Lock();
  await assert.rejects(
    lock.withLock(() => {
      throw new Error("inside");
    }),
    /inside/,
  );
  assert.equal(lock.locked(), false);
  assert.equal(await lock.withLock(() => 42), 42);
  const held = await lock.hold();
  assert.equal(lock.locked(), true);
  held.release();
  held.release();
  assert.equal(lock.locked(), false);
});

test("RLock: the holder re-enters; a non-owner cannot release", async () => {
  const rlock = new RLock();
  assert.equal(await rlock.acquire(), true);
  assert.equal(await rlock.acquire(), true);
  assert.match(String(rlock), /count=2/);
  const outcome = shared({ code: "", gotIt: false });
  const t = new Thread({
    target: async (r: RLock) => {
      try {
        r.release();
      } catch (err) {
        outcome.code = (err as { code: string }).code;
      }
      outcome.gotIt = await r.acquire(false);
    },
    args: [rlock],
  });
  t.start();
  await within(t.join(), LONG, "non-owner");
  assert.equal(outcome.code, "ERR_SPINDLE_NOT_OWNER");
  assert.equal(outcome.gotIt, false, "still held twice by the main thread");
  rlock.release();
  assert.equal(await rlock.acquire(false), true, "still ours after one release");
  rlock.release();
  rlock.release();
  assert.throws(() => rlock.release(), RuntimeError);
  const t2 = new Thread({
    target: async (r: RLock) => {
      outcome.gotIt = await r.acquire(false);
      r.release();
    },
    args: [rlock],
  });
  t2.start();
  await within(t2.join(), LONG, "taker");
  assert.equal(outcome.gotIt, true, "free once released as many times as taken");
});

test("a waiter blocked on a lock wakes when it is released (no lost wake-ups)", async () => {
  const lock = new Lock();
  const order = sharedArray("int32", 8);
  await lock.acquire();
  const threads = Array.from(
    { length: 3 },
    (_, i) =>
      new Thread({
        target: (l: Lock, out: Int32Array, me: number) => {
          l.acquireSync();
          out[Atomics.add(out, 7, 1)] = me + 1;
          l.release();
        },
        args: [lock, order, i],
      }),
  );
  for (const t of threads) t.start();
  await sleep(0.05);
  assert.equal(Atomics.load(order, 7), 0, "nobody got in while the main thread held it");
  lock.release();
  await within(Promise.all(threads.map((t) => t.join())), LONG, "waiters");
  assert.equal(Atomics.load(order, 7), 3);
  assert.deepEqual([...order.slice(0, 3)].sort(), [1, 2, 3]);
  await until(() => !lock.locked(), LONG, "lock free");
});
