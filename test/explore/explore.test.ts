import { test } from "node:test";
import assert from "node:assert/strict";
import { explore, replay, ExploreError, DeadlockError } from "../../src/explore";
import { bankAccount, lockOrder, lostUpdate } from "../../src/explore/examples";
import { Thread, Event, shared } from "../../src/concurrency/threading";
import { Queue } from "../../src/concurrency/queue";
import { sleep } from "../../src/concurrency/time";
import * as aio from "../../src/concurrency/asyncio";

test("the unlocked bank account is found overdrawn; the locked one passes 1,000 schedules", {
  timeout: 120_000,
}, async () => {
  const bad = await explore(() => bankAccount(false), { schedules: 200, seed: 1 });
  assert.ok(bad.failure, "race found");
  assert.equal(bad.failure.kind, "error");
  assert.match(String(bad.failure.error), /overdrawn: money = -60/);
  const good = await explore(() => bankAccount(true), { schedules: 1000, seed: 1 });
  assert.equal(good.failure, undefined);
  assert.equal(good.schedules, 1000);
});

test("a 3-thread lost update is found (random walk and PCT); the locked version passes 1,000 schedules", {
  timeout: 120_000,
}, async () => {
  for (const strategy of ["random", "pct"] as const) {
    const bad = await explore(() => lostUpdate(false), { schedules: 200, seed: 3, strategy });
    assert.ok(bad.failure, `lost update found by ${strategy}`);
    assert.match(String(bad.failure.error), /lost update: counter = [1-5]/);
  }
  const good = await explore(() => lostUpdate(true), { schedules: 1000, seed: 3 });
  assert.equal(good.failure, undefined);
});

test("a lock-order deadlock is found, reported with the wait-for graph, without hanging; same order passes", {
  timeout: 120_000,
}, async () => {
  const bad = await explore(() => lockOrder(false), { schedules: 300, seed: 2 });
  assert.ok(bad.failure, "deadlock found");
  assert.equal(bad.failure.kind, "deadlock");
  assert.ok(bad.failure.error instanceof DeadlockError);
  assert.ok(bad.failure.deadlock, "wait-for report");
  assert.equal(bad.failure.deadlock.threads.length, 2);
  assert.match(bad.failure.deadlock.text, /holds .* and waits for/);
  assert.match(bad.failure.timeline.toSVG(), /<svg/);
  const good = await explore(() => lockOrder(true), { schedules: 1000, seed: 2 });
  assert.equal(good.failure, undefined);
});

/** Thread names count up across the process ("Thread-7043"): compare interleavings without the numbers. */
const unnumbered = (line: string): string => line.replace(/Thread-\d+/g, "Thread-N");

test("replay runs the failing interleaving again: same steps, same error, 100 times out of 100", {
  timeout: 180_000,
}, async () => {
  const fn = () => lostUpdate(false);
  const found = await explore(fn, { schedules: 200, seed: 11, strategy: "random" });
  assert.ok(found.failure);
  for (let i = 0; i < 100; i++) {
    const again = await replay(fn, found.failure.seed);
    assert.ok(again.failure, `replay ${i} failed too`);
    assert.deepEqual(
      again.failure.trace.map(unnumbered),
      found.failure.trace.map(unnumbered),
      `replay ${i}: same interleaving`,
    );
    assert.equal(String(again.failure.error), String(found.failure.error));
  }
  const twice = await explore(fn, { schedules: 200, seed: 11, strategy: "random" });
  assert.equal(twice.failure?.schedule, found.failure.schedule);
  assert.deepEqual(twice.failure?.trace.map(unnumbered), found.failure.trace.map(unnumbered));
});

test("replay refuses a seed found for other code, and a malformed seed", async () => {
  const found = await explore(() => bankAccount(false), { schedules: 50, seed: 1 });
  assert.ok(found.failure);
  await assert.rejects(
    replay(() => lostUpdate(false), found.failure.seed),
    (e: unknown) => e instanceof ExploreError && /found for other code/.test(e.message),
  );
  await assert.rejects(
    replay(() => bankAccount(false), "42"),
    (e: unknown) => e instanceof ExploreError && /not a schedule seed/.test(e.message),
  );
});

test("nested explore is an error that says why", async () => {
  const r = explore(
    async () => {
      await explore(() => undefined, { schedules: 1 });
    },
    { schedules: 1 },
  );
  const result = await r;
  assert.ok(result.failure);
  assert.ok(result.failure.error instanceof ExploreError);
  assert.match((result.failure.error as Error).message, /nested explore/);
});

test("a plain worker_threads.Worker started while exploring is refused: explore says what it cannot control", async () => {
  const result = await explore(
    async () => {
      const { Worker } = await import("node:worker_threads");
      new Worker("setTimeout(() => {}, 10)", { eval: true });
    },
    { schedules: 1 },
  );
  assert.ok(result.failure);
  assert.match((result.failure.error as Error).message, /plain worker_threads\.Worker/);
});

function waiter(ev: Event, out: { seen: number }): void {
  ev.waitSync();
  out.seen = out.seen + 1;
}

test("sleeps are virtual, events and bounded queues work under control, and nothing hangs", {
  timeout: 60_000,
}, async () => {
  const started = performance.now();
  const r = await explore(
    async () => {
      const ev = new Event();
      const out = shared({ seen: 0 });
      const q = new Queue<number>(1);
      const t = new Thread({ target: waiter, args: [ev, out] });
      t.start();
      await sleep(100); // virtual: 100 s would never fit in this test's timeout
      ev.set();
      await t.join();
      await q.put(1);
      if ((await q.get()) !== 1 || out.seen !== 1) throw new Error("lost the event or the item");
    },
    { schedules: 50, seed: 4 },
  );
  assert.equal(r.failure, undefined, r.toText());
  assert.ok(performance.now() - started < 50_000);
});

test("a thread waiting for an event nobody sets is a deadlock, found without hanging", {
  timeout: 60_000,
}, async () => {
  const r = await explore(
    async () => {
      const ev = new Event();
      const out = shared({ seen: 0 });
      const t = new Thread({ target: waiter, args: [ev, out] });
      t.start();
      await t.join();
    },
    { schedules: 5, seed: 1 },
  );
  assert.ok(r.failure);
  assert.equal(r.failure.kind, "deadlock");
  assert.match(String(r.failure.error), /every thread is blocked/);
});

async function asyncLostUpdate(locked: boolean): Promise<void> {
  const state = { n: 0 };
  const lock = new aio.Lock();
  async function inc(): Promise<void> {
    for (let i = 0; i < 2; i++) {
      if (locked) await lock.acquire();
      const seen = state.n;
      await aio.sleep(0.5);
      state.n = seen + 1;
      if (locked) lock.release();
    }
  }
  await aio.gather(aio.createTask(inc), aio.createTask(inc), aio.createTask(inc));
  if (state.n !== 6) throw new Error(`lost update: n = ${state.n}`);
}

test("asyncio tasks: a lost update is found and replayed, the locked version passes 1,000 schedules, a lock-order deadlock is found", {
  timeout: 120_000,
}, async () => {
  const started = performance.now();
  const bad = await explore(() => asyncLostUpdate(false), { schedules: 100, seed: 1 });
  assert.ok(bad.failure);
  assert.match(String(bad.failure.error), /lost update: n = [1-5]/);
  const again = await replay(() => asyncLostUpdate(false), bad.failure.seed);
  assert.equal(String(again.failure?.error), String(bad.failure.error));
  assert.deepEqual(again.failure?.trace.map(unnamed), bad.failure.trace.map(unnamed));
  const good = await explore(() => asyncLostUpdate(true), { schedules: 1000, seed: 1 });
  assert.equal(good.failure, undefined, good.toText());
  assert.ok(performance.now() - started < 100_000, "sleeps are virtual");
  const dead = await explore(
    async () => {
      const a = new aio.Lock();
      const b = new aio.Lock();
      const one = async () => {
        await a.acquire();
        await b.acquire();
        b.release();
        a.release();
      };
      const two = async () => {
        await b.acquire();
        await a.acquire();
        a.release();
        b.release();
      };
      await aio.gather(aio.createTask(one), aio.createTask(two));
    },
    { schedules: 200, seed: 1 },
  );
  assert.equal(dead.failure?.kind, "deadlock");
  assert.match(String(dead.failure?.error), /every task is waiting/);
});

/** Task and lock names count up across the process: compare asyncio interleavings without the numbers. */
const unnamed = (line: string): string => line.replace(/(Task|Lock)-\d+/g, "$1-N");
