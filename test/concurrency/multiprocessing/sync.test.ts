import { test, after } from "node:test";
import assert from "node:assert/strict";
import { runShutdownHooks } from "../../../src/runtime/lifecycle";
import { Event, Lock, Process, Queue, Semaphore, Value } from "../../../src/concurrency/multiprocessing";
import * as tasks from "./fixtures/tasks";
import { within } from "../../helpers/wait";

after(() => runShutdownHooks());

test("the FIFO Lock gives mutual exclusion across processes: no lost update", async () => {
  const v = new Value("i", 0, { lock: false });
  const lock = new Lock();
  const n = 300;
  const ps = [0, 1, 2].map(() => new Process({ target: tasks.lockedIncrements, args: [v, lock, n] }));
  for (const p of ps) p.start();
  await Promise.all(ps.map((p) => within(p.join(), 60000, "join")));
  for (const p of ps) assert.equal(p.exitCode, 0);
  assert.equal(await v.get(), 3 * n);
  assert.equal(lock.locked(), false);
});

test("Lock basics: try-acquire, timeout, locked(), release of an unlocked lock", async () => {
  const lock = new Lock();
  assert.equal(lock.locked(), false);
  assert.equal(await lock.acquire(), true);
  assert.equal(lock.locked(), true);
  assert.equal(await lock.acquire(false), false);
  const t0 = performance.now();
  assert.equal(await lock.acquire({ timeout: 0.1 }), false);
  assert.ok(performance.now() - t0 >= 90);
  const waiter = lock.acquire(true, 5);
  setTimeout(() => lock.release(), 30);
  assert.equal(await within(waiter, 30000, "waiter"), true);
  lock.release();
  assert.throws(
    () => lock.release(),
    (e: Error & { code?: string }) => e.code === "ERR_SPINDLE_RELEASE_UNLOCKED",
  );
  assert.equal(await lock.withLock(() => 7), 7);
  assert.equal(lock.locked(), false);
});

test("a Semaphore lets at most N processes in at once", async () => {
  const sem = new Semaphore(2);
  const inside = new Value("i", 0, { lock: false });
  const seen = new Queue<number>();
  const ps = Array.from({ length: 5 }, () => new Process({ target: tasks.roomVisit, args: [sem, inside, seen] }));
  for (const p of ps) p.start();
  await Promise.all(ps.map((p) => within(p.join(), 90000, "join")));
  const counts: number[] = [];
  for (let i = 0; i < 5; i++) counts.push(await seen.get(true, 5));
  assert.ok(Math.max(...counts) <= 2, `at most 2 inside, saw ${counts.join(",")}`);
  assert.equal(await inside.get(), 0);
  assert.equal(await sem.acquire(false), true);
  assert.equal(await sem.acquire(false), true);
  assert.equal(await sem.acquire(false), false);
});

test("an Event wakes waiting processes", async () => {
  const ev = new Event();
  const out = new Queue<{ tag: string; ok: boolean }>();
  const ps = ["a", "b"].map((tag) => new Process({ target: tasks.waitForEvent, args: [ev, out, tag] }));
  for (const p of ps) p.start();
  await new Promise((r) => setTimeout(r, 200));
  assert.equal(await out.qsize(), 0);
  assert.equal(await ev.isSet(), false);
  await ev.set();
  const got = [await within(out.get(), 60000, "a"), await within(out.get(), 60000, "b")];
  assert.deepEqual(
    got.map((g) => g.ok),
    [true, true],
  );
  await Promise.all(ps.map((p) => within(p.join(), 60000, "join")));
  await ev.clear();
  assert.equal(await ev.wait(0.05), false);
});
