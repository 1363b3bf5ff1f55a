import { test } from "node:test";
import assert from "node:assert/strict";
import {
  Queue,
  LifoQueue,
  PriorityQueue,
  QueueEmpty,
  QueueFull,
  ValueError,
  gather,
  sleep,
  createTask,
  CancelledError,
} from "../../../src/concurrency/asyncio";
import { bounded, turns } from "./helpers";

test("FIFO order; Nowait forms raise QueueEmpty / QueueFull", async () => {
  const q = new Queue<number>(2);
  assert.throws(
    () => q.getNowait(),
    (e: unknown) => e instanceof QueueEmpty && e.code === "ERR_SPINDLE_QUEUE_EMPTY",
  );
  q.putNowait(1);
  await q.put(2);
  assert.equal(q.full(), true);
  assert.equal(q.qsize(), 2);
  assert.throws(
    () => q.putNowait(3),
    (e: unknown) => e instanceof QueueFull && e.code === "ERR_SPINDLE_QUEUE_FULL",
  );
  assert.equal(await q.get(), 1);
  assert.equal(q.getNowait(), 2);
  assert.equal(q.empty(), true);
});

test("put waits while full; get waits while empty", async () => {
  const q = new Queue<string>(1);
  await q.put("a");
  const log: string[] = [];
  const putter = createTask(async () => {
    await q.put("b");
    log.push("b in");
  });
  await sleep(0.003);
  assert.deepEqual(log, [], "put is waiting for room");
  assert.equal(await q.get(), "a");
  await bounded(putter);
  assert.deepEqual(log, ["b in"]);
  assert.equal(await q.get(), "b");
  const getter = createTask(() => q.get());
  await sleep(0.003);
  assert.equal(getter.done(), false);
  await q.put("c");
  assert.equal(await bounded(getter), "c");
});

test("producers and consumers: no item lost or duplicated, each producer's items in order", async () => {
  const q = new Queue<[number, number]>(3);
  const received: Array<[number, number]> = [];
  const producer = async (p: number): Promise<void> => {
    for (let i = 0; i < 50; i++) {
      await q.put([p, i]);
      if (i % 7 === 0) await sleep(0);
    }
  };
  const consumer = async (): Promise<void> => {
    for (;;) {
      const item = await q.get();
      if (item[0] < 0) return;
      received.push(item);
      if (item[1] % 5 === 0) await sleep(0);
    }
  };
  const consumers = [consumer(), consumer()];
  await bounded(gather(producer(0), producer(1), producer(2)));
  await q.put([-1, 0]);
  await q.put([-1, 0]);
  await bounded(gather(...consumers));
  assert.equal(received.length, 150);
  for (const p of [0, 1, 2]) {
    assert.deepEqual(
      received.filter(([pp]) => pp === p).map(([, i]) => i),
      Array.from({ length: 50 }, (_, i) => i),
    );
  }
});

test("taskDone / join", async () => {
  const q = new Queue<number>();
  for (let i = 0; i < 3; i++) q.putNowait(i);
  let joined = false;
  const joiner = createTask(async () => {
    await q.join();
    joined = true;
  });
  for (let i = 0; i < 3; i++) {
    await q.get();
    await sleep(0.001);
    assert.equal(joined, false);
    q.taskDone();
  }
  await bounded(joiner);
  assert.equal(joined, true);
  assert.throws(() => q.taskDone(), ValueError);
});

test("a cancelled getter does not swallow an item", async () => {
  const q = new Queue<string>();
  const g1 = createTask(() => q.get());
  const g2 = createTask(() => q.get());
  await turns(2);
  g1.cancel();
  await bounded(
    g1.then(
      () => assert.fail(),
      (e: unknown) => assert.ok(e instanceof CancelledError),
    ),
  );
  q.putNowait("only item");
  assert.equal(await bounded(g2), "only item");
  assert.equal(q.empty(), true);
});

test("a cancelled putter does not add its item", async () => {
  const q = new Queue<string>(1);
  q.putNowait("first");
  const p = createTask(() => q.put("never"));
  await turns(2);
  p.cancel();
  await bounded(
    p.then(
      () => assert.fail(),
      () => undefined,
    ),
  );
  assert.equal(q.getNowait(), "first");
  assert.equal(q.empty(), true);
});

test("LifoQueue returns the newest first", async () => {
  const q = new LifoQueue<number>();
  for (const n of [1, 2, 3]) await q.put(n);
  assert.deepEqual([await q.get(), await q.get(), await q.get()], [3, 2, 1]);
});

test("PriorityQueue returns the smallest first; ties leave in FIFO order", async () => {
  const q = new PriorityQueue<[number, string]>();
  const items: Array<[number, string]> = [
    [3, "c"],
    [1, "a1"],
    [2, "b"],
    [1, "a2"],
    [0, "z"],
    [1, "a3"],
  ];
  for (const it of items) q.putNowait(it);
  const out: string[] = [];
  while (!q.empty()) out.push((await q.get())[1]);
  assert.deepEqual(out, ["z", "a1", "a2", "a3", "b", "c"]);
  const byLength = new PriorityQueue<string>({ compare: (a, b) => a.length - b.length });
  for (const w of ["ccc", "a", "bb"]) byLength.putNowait(w);
  assert.deepEqual([byLength.getNowait(), byLength.getNowait(), byLength.getNowait()], ["a", "bb", "ccc"]);
});

test("PriorityQueue: random priorities come out sorted", async () => {
  const q = new PriorityQueue<number>();
  const values = Array.from({ length: 500 }, (_, i) => (i * 7919) % 1009);
  for (const v of values) q.putNowait(v);
  const out: number[] = [];
  while (!q.empty()) out.push(q.getNowait());
  assert.deepEqual(
    out,
    [...values].sort((a, b) => a - b),
  );
});
