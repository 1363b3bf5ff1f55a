import { test } from "node:test";
import assert from "node:assert/strict";
import {
  Lock,
  Event,
  Condition,
  Semaphore,
  BoundedSemaphore,
  gather,
  sleep,
  createTask,
  RuntimeError,
  ValueError,
  CancelledError,
} from "../../../src/concurrency/asyncio";
import { bounded, turns } from "./helpers";

test("Lock: one task inside at a time, even across awaits", async () => {
  const lock = new Lock();
  let inside = 0;
  let maxInside = 0;
  let total = 0;
  const worker = async (): Promise<void> => {
    for (let i = 0; i < 20; i++) {
      await lock.withLock(async () => {
        inside++;
        maxInside = Math.max(maxInside, inside);
        const seen = total;
        await sleep(0); // a switch point inside the critical section
        total = seen + 1;
        inside--;
      });
    }
  };
  await bounded(gather(worker(), worker(), worker(), worker()));
  assert.equal(maxInside, 1);
  assert.equal(total, 80, "no update lost");
  assert.equal(lock.locked(), false);
});

test("Lock: waiters get the lock in FIFO order", async () => {
  const lock = new Lock();
  await lock.acquire();
  const order: number[] = [];
  const waiters = [1, 2, 3].map((n) =>
    createTask(async () => {
      await lock.acquire();
      order.push(n);
      lock.release();
    }),
  );
  await turns(2);
  lock.release();
  await bounded(gather(...waiters));
  assert.deepEqual(order, [1, 2, 3]);
});

test("Lock: releasing an unlocked lock is a RuntimeError; withLock releases on throw", async () => {
  const lock = new Lock();
  assert.throws(
    () => lock.release(),
    (e: unknown) => e instanceof RuntimeError && e.code === "ERR_SPINDLE_LOCK_NOT_HELD",
  );
  await assert.rejects(
    lock.withLock(async () => {
      throw new Error("inside");
    }),
    /inside/,
  );
  assert.equal(lock.locked(), false);
});

test("Lock: a cancelled waiter leaves the queue and the lock passes to the next", async () => {
  const lock = new Lock();
  await lock.acquire();
  const first = createTask(() => lock.acquire());
  const second = createTask(async () => {
    await lock.acquire();
    return "second got it";
  });
  await turns(2);
  first.cancel();
  await bounded(
    first.then(
      () => assert.fail(),
      (e: unknown) => assert.ok(e instanceof CancelledError),
    ),
  );
  lock.release();
  assert.equal(await bounded(second), "second got it");
  assert.equal(lock.locked(), true);
});

test("Event: everyone waits, then all start together when it is set", async () => {
  const ev = new Event();
  const started: number[] = [];
  const guests = [1, 2, 3].map((n) =>
    createTask(async () => {
      await ev.wait();
      started.push(n);
    }),
  );
  await sleep(0.005);
  assert.deepEqual(started, []);
  assert.equal(ev.isSet(), false);
  ev.set();
  await bounded(gather(...guests));
  assert.deepEqual(started, [1, 2, 3]);
  assert.equal(await bounded(ev.wait()), true, "a set event does not block");
  ev.clear();
  assert.equal(ev.isSet(), false);
});

test("Condition: notify wakes waiters one at a time in order; notifyAll wakes the rest", async () => {
  const cond = new Condition();
  const woke: number[] = [];
  const waiters = [1, 2, 3].map((n) =>
    createTask(() =>
      cond.withLock(async () => {
        await cond.wait();
        woke.push(n);
      }),
    ),
  );
  await sleep(0.005);
  await cond.withLock(async () => cond.notify());
  await sleep(0.005);
  assert.deepEqual(woke, [1]);
  await cond.withLock(async () => cond.notifyAll());
  await bounded(gather(...waiters));
  assert.deepEqual(woke, [1, 2, 3]);
});

test("Condition: waitFor re-checks its predicate; wait/notify without the lock are errors", async () => {
  const cond = new Condition();
  let items = 0;
  const consumer = createTask(() => cond.withLock(() => cond.waitFor(() => items >= 2)));
  for (let i = 0; i < 2; i++) {
    await sleep(0.002);
    await cond.withLock(async () => {
      items++;
      cond.notifyAll();
    });
  }
  assert.equal(await bounded(consumer), true);
  assert.throws(
    () => cond.notify(),
    (e: unknown) => e instanceof RuntimeError && e.code === "ERR_SPINDLE_CONDITION_NOT_LOCKED",
  );
  await assert.rejects(cond.wait(), RuntimeError);
});

test("Condition: a cancelled wait holds the lock again when CancelledError arrives", async () => {
  const cond = new Condition();
  let heldWhenCancelled: boolean | undefined;
  const t = createTask(async () => {
    await cond.acquire();
    try {
      await cond.wait();
    } catch (e) {
      heldWhenCancelled = cond.locked();
      cond.release();
      throw e;
    }
  });
  await sleep(0.005);
  t.cancel();
  await bounded(
    t.then(
      () => assert.fail(),
      () => undefined,
    ),
  );
  assert.equal(heldWhenCancelled, true);
  assert.equal(cond.locked(), false);
});

test("Semaphore: never more than N inside", async () => {
  const sem = new Semaphore(2);
  let inside = 0;
  let maxInside = 0;
  const guest = async (): Promise<void> => {
    await sem.withLock(async () => {
      inside++;
      maxInside = Math.max(maxInside, inside);
      await sleep(0.002);
      inside--;
    });
  };
  await bounded(gather(...Array.from({ length: 8 }, guest)));
  assert.equal(maxInside, 2);
  assert.equal(sem.value, 2);
  assert.equal(sem.locked(), false);
});

test("Semaphore may be released above its start; BoundedSemaphore refuses", async () => {
  const sem = new Semaphore(1);
  sem.release();
  assert.equal(sem.value, 2);
  const bsem = new BoundedSemaphore(1);
  await bsem.acquire();
  bsem.release();
  assert.throws(
    () => bsem.release(),
    (e: unknown) => e instanceof ValueError && e.code === "ERR_SPINDLE_SEMAPHORE_OVER_RELEASE",
  );
  assert.throws(() => new Semaphore(-1), ValueError);
});
