import { test } from "node:test";
import assert from "node:assert/strict";
import { Queue, LifoQueue, PriorityQueue, Empty, Full } from "../../../src/concurrency/queue";
import { Thread, ValueError, sharedArray } from "../../../src/concurrency/threading";
import { sleep } from "../../../src/concurrency/time";
import { within } from "../../helpers/wait";

const LONG = 30_000;

test("Queue is FIFO, LifoQueue is LIFO, PriorityQueue hands out the smallest first (ties in arrival order)", () => {
  const fifo = new Queue<number>();
  const lifo = new LifoQueue<number>();
  for (const n of [3, 1, 2]) {
    fifo.putNowait(n);
    lifo.putNowait(n);
  }
  assert.deepEqual([fifo.getNowait(), fifo.getNowait(), fifo.getNowait()], [3, 1, 2]);
  assert.deepEqual([lifo.getNowait(), lifo.getNowait(), lifo.getNowait()], [2, 1, 3]);
  const pq = new PriorityQueue<unknown>();
  const items: unknown[] = [
    [2, "b"],
    [1, "z"],
    [1, "a"],
    [-5, "neg"],
    [2.5, "x"],
    [1, "a", { first: true }],
    [1, "a", { second: true }],
    [10, "ten"],
  ];
  for (const item of items) pq.putNowait(item);
  const out: unknown[] = [];
  while (!pq.empty()) out.push(pq.getNowait());
  assert.deepEqual(out, [
    [-5, "neg"],
    [1, "a"],
    [1, "a", { first: true }],
    [1, "a", { second: true }],
    [1, "z"],
    [2, "b"],
    [2.5, "x"],
    [10, "ten"],
  ]);
  const words = new PriorityQueue<string>();
  for (const w of ["pear", "apple", "app", "banana", "", "a\u0000b", "a"]) words.putNowait(w);
  const sorted: string[] = [];
  while (!words.empty()) sorted.push(words.getNowait());
  assert.deepEqual(sorted, ["", "a", "a\u0000b", "app", "apple", "banana", "pear"]);
});

test("nowait forms raise Empty and Full; qsize, empty, full tell the state", () => {
  const q = new Queue<string>(2);
  assert.throws(() => q.getNowait(), Empty);
  q.putNowait("a");
  q.putNowait("b");
  assert.equal(q.qsize(), 2);
  assert.equal(q.full(), true);
  assert.throws(
    () => q.putNowait("c"),
    (err: unknown) => err instanceof Full && err.code === "ERR_SPINDLE_QUEUE_FULL",
  );
  assert.equal(q.getNowait(), "a");
  assert.equal(q.full(), false);
  assert.equal(q.empty(), false);
  assert.equal(q.getNowait(), "b");
  assert.equal(q.empty(), true);
});

test("put with a timeout on a full queue raises Full; get with a timeout on an empty queue raises Empty", async () => {
  const q = new Queue<number>(1);
  await q.put(1);
  await assert.rejects(
    q.put(2, true, 0.03),
    (err: unknown) => err instanceof Full && /waited 0.03 s/.test(err.message),
  );
  await assert.rejects(q.put(2, { timeout: 0.01 }), Full);
  await assert.rejects(q.put(2, false), Full);
  assert.equal(await q.get(), 1);
  await assert.rejects(q.get(true, 0.03), (err: unknown) => err instanceof Empty && /waited 0.03 s/.test(err.message));
  await assert.rejects(q.get(false), Empty);
  await assert.rejects(q.get(true, -1), ValueError);
});

test("a bounded queue makes the producer wait: never more than maxsize inside, nothing lost, order kept", async () => {
  const q = new Queue<number>(2);
  const producer = new Thread({
    target: (queue: Queue<number>) => {
      for (let i = 0; i < 50; i++) queue.putSync(i);
    },
    args: [q],
  });
  producer.start();
  const got: number[] = [];
  let most = 0;
  for (let i = 0; i < 50; i++) {
    if (i % 10 === 0) await sleep(0.01);
    most = Math.max(most, q.qsize());
    got.push(await within(q.get(), LONG, "get"));
  }
  await within(producer.join(), LONG, "producer");
  assert.ok(most <= 2, `qsize stayed within maxsize (saw ${most})`);
  assert.deepEqual(
    got,
    Array.from({ length: 50 }, (_, i) => i),
  );
});

test("many producers and consumers on threads: every item arrives exactly once", async () => {
  const q = new Queue<number>(64);
  const PER = 5000;
  const sums = sharedArray("float64", 4);
  const counts = sharedArray("int32", 4);
  const produce = (queue: Queue<number>, base: number, n: number) => {
    for (let i = 0; i < n; i++) queue.putSync(base + i);
  };
  const consume = (queue: Queue<number>, slot: number, s: Float64Array, c: Int32Array) => {
    for (;;) {
      const v = queue.getSync();
      if (v < 0) return;
      s[slot]! += v;
      c[slot]!++;
    }
  };
  const producers = [0, 1].map((p) => new Thread({ target: produce, args: [q, p * PER, PER] }));
  const consumers = [0, 1].map((c) => new Thread({ target: consume, args: [q, c, sums, counts] }));
  for (const t of [...producers, ...consumers]) t.start();
  await within(Promise.all(producers.map((t) => t.join())), LONG, "producers");
  await q.put(-1);
  await q.put(-1);
  await within(Promise.all(consumers.map((t) => t.join())), LONG, "consumers");
  const total = 2 * PER;
  assert.equal(counts[0]! + counts[1]!, total);
  assert.equal(sums[0]! + sums[1]!, (total * (total - 1)) / 2);
});

test("taskDone/join: join waits until every item is marked done; too many taskDone is a ValueError", async () => {
  const q = new Queue<number>();
  const done = sharedArray("int32", 1);
  for (let i = 0; i < 20; i++) await q.put(i);
  const workers = [0, 1].map(
    () =>
      new Thread({
        daemon: true,
        target: async (queue: Queue<number>, d: Int32Array) => {
          for (;;) {
            await queue.get();
            await sleep(0.002);
            Atomics.add(d, 0, 1);
            queue.taskDone();
          }
        },
        args: [q, done],
      }),
  );
  for (const w of workers) w.start();
  await within(q.join(), LONG, "q.join");
  assert.equal(Atomics.load(done, 0), 20);
  assert.throws(() => q.taskDone(), ValueError);
});

test("items are copied: JSON data, and Map, Set, Date, bigint, undefined through V8 serialization", async () => {
  const q = new Queue<unknown>();
  const rich = { m: new Map([["k", 1]]), s: new Set([1, 2]), d: new Date(5), b: 10n, u: undefined, nan: NaN };
  const plain = { a: [1, "two", { three: 3 }], ok: true, nothing: null };
  q.putNowait(plain);
  q.putNowait(rich);
  const echo = new Thread({
    target: (queue: Queue<unknown>) => {
      const a = queue.getSync();
      const b = queue.getSync();
      queue.putSync([a, b]);
    },
    args: [q],
  });
  echo.start();
  await within(echo.join(), LONG, "echo");
  const [a, b] = (await q.get()) as [typeof plain, typeof rich];
  assert.deepEqual(a, plain);
  assert.deepEqual(b, rich);
  assert.notEqual(a, plain);
  assert.throws(
    () => q.putNowait(() => 1),
    (err: unknown) => (err as { code?: string }).code === "ERR_SPINDLE_QUEUE_ITEM",
  );
});

test("small byte capacity: the ring wraps around and keeps order; an item larger than the queue is refused", async () => {
  const q = new Queue<string>(0, { byteCapacity: 256 });
  const producer = new Thread({
    target: (queue: Queue<string>) => {
      for (let i = 0; i < 300; i++) queue.putSync("x".repeat(i % 37) + `#${i}`);
    },
    args: [q],
  });
  producer.start();
  for (let i = 0; i < 300; i++) assert.equal(await within(q.get(), LONG, "get"), "x".repeat(i % 37) + `#${i}`);
  await within(producer.join(), LONG, "producer");
  assert.throws(
    () => q.putNowait("y".repeat(1000)),
    (err: unknown) => err instanceof ValueError && /byteCapacity/.test(err.message),
  );
  const pq = new PriorityQueue<[number, string]>(0, { byteCapacity: 512 });
  for (let round = 0; round < 50; round++) {
    for (let i = 0; i < 5; i++) pq.putNowait([(round * 7 + i * 3) % 11, `r${round}`]);
    const first = pq.getNowait();
    const rest: Array<[number, string]> = [];
    while (!pq.empty()) rest.push(pq.getNowait());
    for (const r of rest) assert.ok(first[0] <= r[0]);
  }
});
