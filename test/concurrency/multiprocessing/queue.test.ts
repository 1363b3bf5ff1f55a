import { test, after } from "node:test";
import assert from "node:assert/strict";
import { runShutdownHooks } from "../../../src/runtime/lifecycle";
import { Empty, Full, JoinableQueue, Process, Queue, SimpleQueue } from "../../../src/concurrency/multiprocessing";
import * as tasks from "./fixtures/tasks";
import { within } from "../../helpers/wait";

after(() => runShutdownHooks());

test("items cross from child producers to the parent in per-producer order, none lost", async () => {
  const q = new Queue<{ who: string; i: number }>();
  const n = 300;
  const ps = ["a", "b"].map((who) => new Process({ target: tasks.produce, args: [q, who, n] }));
  for (const p of ps) p.start();
  const seen: Record<string, number[]> = { a: [], b: [] };
  for (let k = 0; k < 2 * n; k++) {
    const item = await within(q.get(true, 60), 60000, "get");
    seen[item.who]!.push(item.i);
  }
  await Promise.all(ps.map((p) => within(p.join(), 60000, "join")));
  const expected = Array.from({ length: n }, (_, i) => i);
  assert.deepEqual(seen.a, expected);
  assert.deepEqual(seen.b, expected);
  assert.equal(await q.empty(), true);
});

test("children consume what the parent puts: each item exactly once", async () => {
  const q = new Queue<number>();
  const out = new Queue<number>();
  const n = 100;
  const ps = [0, 1].map(() => new Process({ target: tasks.consume, args: [q, out, n / 2] }));
  for (const p of ps) p.start();
  for (let i = 0; i < n; i++) await q.put(i);
  const got: number[] = [];
  for (let i = 0; i < n; i++) got.push(await within(out.get(true, 60), 60000, "out"));
  await Promise.all(ps.map((p) => within(p.join(), 60000, "join")));
  assert.deepEqual(
    got.sort((a, b) => a - b),
    Array.from({ length: n }, (_, i) => i),
  );
});

test("get with a timeout rejects with Empty; getNowait at once", async () => {
  const q = new Queue();
  const t0 = performance.now();
  await assert.rejects(q.get(true, 0.1), (e: Error) => e instanceof Empty && /waited 0.1 s/.test(e.message));
  assert.ok(performance.now() - t0 >= 90);
  await assert.rejects(q.getNowait(), Empty);
  await assert.rejects(q.get({ timeout: 0.05 }), Empty);
});

test("a bounded queue refuses or waits when full", async () => {
  const q = new Queue<number>(2);
  await q.put(1);
  await q.put(2);
  assert.equal(await q.full(), true);
  assert.equal(await q.qsize(), 2);
  await assert.rejects(q.putNowait(3), Full);
  await assert.rejects(q.put(3, true, 0.05), Full);
  const pending = q.put(3, true, 5);
  assert.equal(await q.get(), 1);
  await within(pending, 5000, "waiting put");
  assert.deepEqual([await q.get(), await q.get()], [2, 3]);
});

test("items are copies; close() stops this side putting", async () => {
  const q = new Queue<{ n: number }>();
  const item = { n: 1 };
  await q.put(item);
  item.n = 2;
  const got = await q.get();
  assert.equal(got.n, 1);
  assert.notEqual(got, item);
  q.close();
  await assert.rejects(q.put({ n: 3 }), /closed queue/);
});

test("a consumer that dies while waiting does not steal a later item", async () => {
  const q = new Queue<number>();
  const out = new Queue<number>();
  const p = new Process({ target: tasks.consume, args: [q, out, 1] });
  p.start();
  await new Promise((r) => setTimeout(r, 300));
  p.kill();
  await within(p.join(), 60000, "join");
  await q.put(7);
  assert.equal(await within(q.get(true, 5), 30000, "get"), 7);
});

test("a fast consumer killed while holding items leased ahead loses none and duplicates none", async () => {
  const q = new Queue<number>();
  const out = new Queue<number[]>();
  const n = 2000;
  for (let i = 0; i < n; i++) await q.put(i);
  const p = new Process({ target: tasks.consumeFastThenIdle, args: [q, out, 300] });
  p.start();
  const taken = await within(out.get(true, 90), 95000, "child report");
  assert.equal(taken.length, 300);
  p.kill();
  await within(p.join(), 60000, "join");
  const rest: number[] = [];
  while (!(await q.empty())) rest.push(await q.get(true, 5));
  assert.deepEqual(
    [...taken, ...rest].sort((a, b) => a - b),
    Array.from({ length: n }, (_, i) => i),
  );
});

test("SimpleQueue works across processes", async () => {
  const q = new SimpleQueue<{ who: string; i: number }>();
  const p = new Process({ target: tasks.produce, args: [q, "s", 3] });
  p.start();
  const got = [await q.get(), await q.get(), await q.get()].map((x) => x.i);
  await within(p.join(), 60000, "join");
  assert.deepEqual(got, [0, 1, 2]);
  assert.equal(await q.empty(), true);
});

test("JoinableQueue.join waits until every item is marked done by the children", async () => {
  const q = new JoinableQueue<number | null>();
  const results = new Queue<number>();
  const ps = [0, 1].map(() => new Process({ target: tasks.joinableWorker, args: [q, results] }));
  for (const p of ps) p.start();
  for (let i = 1; i <= 20; i++) await q.put(i);
  await q.put(null);
  await q.put(null);
  await within(q.join(), 60000, "q.join");
  assert.equal(await results.qsize(), 20);
  await Promise.all(ps.map((p) => within(p.join(), 60000, "join")));
  await assert.rejects(q.taskDone(), /more times/);
});
