import { test, after } from "node:test";
import assert from "node:assert/strict";
import { inspect } from "node:util";
import { runShutdownHooks } from "../../../src/runtime/lifecycle";
import { Manager, Process, SharedArray, Value } from "../../../src/concurrency/multiprocessing";
import * as tasks from "./fixtures/tasks";
import { within } from "../../helpers/wait";

after(() => runShutdownHooks());

test("a child changes a manager list and dict; the parent sees it", async () => {
  await Manager.with(async (mgr) => {
    const list = mgr.list<unknown>([{ n: 1 }, { n: 2 }]);
    const dict = mgr.dict<string, unknown>();
    const p = new Process({ target: tasks.managerWork, args: [list, dict, "p1"] });
    p.start();
    await within(p.join(), 60000, "join");
    assert.equal(p.exitCode, 0);
    assert.deepEqual(await list.toArray(), [{ n: 1 }, { n: 42 }, "hello from p1"]);
    assert.deepEqual(await dict.toObject(), { name: "p1" });
    assert.equal(inspect(list), inspect([{ n: 1 }, { n: 42 }, "hello from p1"]));
  });
});

test("changing an object read from a list is not propagated; set() is", async () => {
  const mgr = new Manager();
  const list = mgr.list([{ n: 1 }]);
  const row = await list.get(0);
  row.n = 5;
  assert.deepEqual(await list.get(0), { n: 1 });
  await list.set(0, row);
  assert.deepEqual(await list.get(0), { n: 5 });
  mgr.shutdown();
});

test("list and dict operations follow Python", async () => {
  await Manager.with(async (mgr) => {
    const l = mgr.list([3, 1, 2]);
    await l.append(4);
    await l.insert(0, 0);
    assert.equal(await l.pop(), 4);
    assert.equal(await l.get(-1), 2);
    assert.equal(await l.index(1), 2);
    await l.sort();
    assert.deepEqual(await l.toArray(), [0, 1, 2, 3]);
    await assert.rejects(l.get(10), /out of range/);
    const d = mgr.dict({ a: 1 });
    assert.equal(await d.setdefault("b", 2), 2);
    assert.equal(await d.get("zz", 9), 9);
    assert.equal(await d.pop("a"), 1);
    await assert.rejects(d.pop("a"), /KeyError/);
    assert.deepEqual(await d.items(), [["b", 2]]);
  });
});

test("leaving the manager's scope destroys its objects", async () => {
  let list: ReturnType<Manager["list"]> | undefined;
  await Manager.with((mgr) => {
    list = mgr.list([1]);
  });
  await assert.rejects(
    (list as NonNullable<typeof list>).append(2),
    (e: Error & { code?: string }) => e.code === "ERR_SPINDLE_OBJECT_GONE",
  );
  const mgr = new Manager();
  const ev = mgr.Event();
  const waiting = ev.wait();
  await mgr[Symbol.asyncDispose]();
  await assert.rejects(within(waiting, 5000, "wait"), /shut down/);
});

test("Value and Array with their locks count correctly from two processes", async () => {
  const v = new Value("i", 0);
  const arr = new SharedArray("i", 3);
  const ps = [0, 1].map(() => new Process({ target: tasks.lockedIncrements, args: [v, v.getLock(), 200] }));
  for (const p of ps) p.start();
  await Promise.all(ps.map((p) => within(p.join(), 90000, "join")));
  assert.equal(await v.get(), 400);
  await arr.set(1, 5);
  assert.deepEqual(await arr.toArray(), [0, 5, 0]);
  assert.equal(await v.add(5), 405);
});

test("a manager Lock is released when its holder dies", async () => {
  await Manager.with(async (mgr) => {
    const lock = mgr.Lock();
    assert.equal(await lock.acquire(), true);
    assert.equal(await lock.acquire(false), false);
    assert.equal(await lock.acquire(true, 0.05), false);
    await lock.release();
    await assert.rejects(lock.release(), /unlocked lock/);
    const sem = mgr.BoundedSemaphore(2);
    await sem.acquire();
    assert.equal(await sem.getValue(), 1);
    await sem.release();
    await assert.rejects(sem.release(), /BoundedSemaphore/);
  });
});
