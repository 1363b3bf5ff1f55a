import { test, after } from "node:test";
import assert from "node:assert/strict";
import { runInCell } from "../../../src/runtime/cell-context";
import { runShutdownHooks } from "../../../src/runtime/lifecycle";
import {
  Pool,
  Process,
  ProcessCrashedError,
  Queue,
  ThreadPool,
  TimeoutError,
  defaultChunksize,
  type AsyncResult,
} from "../../../src/concurrency/multiprocessing";
import * as tasks from "./fixtures/tasks";
import { eventually, within } from "../../helpers/wait";
import { isRunning, recordingCell } from "./helpers";

after(() => runShutdownHooks());

for (const Kind of [Pool, ThreadPool]) {
  const kind = Kind.name;

  test(`${kind}: map keeps input order, with default and explicit chunk sizes`, async () => {
    await Kind.with(2, async (pool) => {
      const xs = Array.from({ length: 101 }, (_, i) => i);
      assert.deepEqual(
        await within(pool.map(tasks.square, xs), 90000, "map"),
        xs.map((x) => x * x),
      );
      assert.deepEqual(
        await within(pool.map(tasks.square, xs, 1), 90000, "map c1"),
        xs.map((x) => x * x),
      );
      assert.deepEqual(
        await within(pool.map(tasks.square, xs, 7), 90000, "map c7"),
        xs.map((x) => x * x),
      );
      assert.deepEqual(await pool.map(tasks.square, []), []);
      assert.deepEqual(
        await pool.starmap(tasks.add, [
          [1, 2],
          [3, 4],
        ]),
        [3, 7],
      );
    });
  });

  test(`${kind}: numbers (including -0, NaN, ±Infinity) and mixed items come back exactly, as plain arrays`, async () => {
    await Kind.with(2, async (pool) => {
      const special = [-0, NaN, Infinity, -Infinity, 2 ** 53 + 2, 0.1, -7];
      const xs = Array.from({ length: 200 }, (_, i) => special[i % special.length] as number);
      const got = await within(pool.map(tasks.identity, xs), 90000, "map numbers");
      assert.ok(Array.isArray(got));
      assert.deepEqual(got, xs);
      assert.ok(Object.is(got[0], -0));
      const mixed: unknown[] = [...xs.slice(0, 50), "a", { b: 1 }, null, ...xs.slice(0, 50)];
      assert.deepEqual(await within(pool.map(tasks.identity, mixed), 90000, "map mixed"), mixed);
      const seen: unknown[] = [];
      for await (const v of pool.imap(tasks.identity, xs, 100)) seen.push(v);
      assert.deepEqual(seen, xs);
    });
  });

  test(`${kind}: order holds when early items finish last`, async () => {
    await Kind.with(2, async (pool) => {
      const delays = [0.3, 0.01, 0.2, 0.01];
      const got = await within(
        pool.starmap(
          tasks.slowIdentity,
          delays.map((d, i) => [i, d]),
          1,
        ),
        90000,
        "starmap",
      );
      assert.deepEqual(
        got.map(([x]) => x),
        [0, 1, 2, 3],
      );
    });
  });

  test(`${kind}: applyAsync callbacks run in this process under the submitting cell`, async () => {
    const { cell, text } = recordingCell();
    const pool = new Kind(2);
    const seen: number[] = [];
    const r = runInCell(cell, () =>
      pool.applyAsync(tasks.square, [9], {
        callback: (v) => {
          seen.push(v);
          process.stdout.write(""); // callbacks may print; they run here, in the parent
          seen.push(process.pid);
        },
      }),
    );
    assert.equal(await within(r.get(), 90000, "get"), 81);
    assert.equal(r.ready(), true);
    assert.equal(r.successful(), true);
    assert.deepEqual(seen, [81, process.pid]);
    assert.equal(text(), "");
    pool.close();
    await within(pool.join(), 90000, "join");
  });

  test(`${kind}: a task's output lands under the cell that submitted it, not the pool's`, async () => {
    const made = recordingCell("made");
    const used = recordingCell("used");
    const pool = runInCell(made.cell, () => new Kind(2));
    await runInCell(used.cell, () => within(pool.map(tasks.printer, ["x", "y", "z"], 1), 90000, "map"));
    assert.equal(made.text(), "");
    for (const t of ["x", "y", "z"]) assert.match(used.text("stdout"), new RegExp(`out:${t}\n`));
    await pool.terminate();
  });

  test(`${kind}: a task's error reaches get() and errorCallback with the remote stack; the pool goes on`, async () => {
    const pool = new Kind(2);
    let viaCallback: unknown;
    const r = pool.applyAsync(tasks.fails, ["kaput"], { errorCallback: (e) => (viaCallback = e) });
    await assert.rejects(
      r.get(90),
      (e: Error) => e instanceof TypeError && e.message === "kaput" && /fixtures[/\\]tasks/.test(e.stack ?? ""),
    );
    assert.equal(r.successful(), false);
    assert.ok(viaCallback instanceof TypeError);
    await assert.rejects(pool.map(tasks.fails, ["m"]), /m/);
    assert.equal(await within(pool.apply(tasks.square, [3]), 90000, "apply"), 9);
    await pool.terminate();
  });

  test(`${kind}: the initializer runs in every worker before its tasks`, async () => {
    await Kind.with({ processes: 2, initializer: tasks.rememberInWorker, initargs: ["ready"] }, async (pool) => {
      assert.deepEqual(await within(pool.map(tasks.recallInWorker, [1, 2, 3, 4], 1), 90000, "map"), [
        "ready",
        "ready",
        "ready",
        "ready",
      ]);
    });
  });

  test(`${kind}: imap yields in order, imapUnordered yields everything`, async () => {
    await Kind.with(2, async (pool) => {
      const ordered: number[] = [];
      for await (const v of pool.imap(tasks.square, [1, 2, 3, 4, 5])) ordered.push(v);
      assert.deepEqual(ordered, [1, 4, 9, 16, 25]);
      const unordered: number[] = [];
      for await (const v of pool.imapUnordered(tasks.square, [1, 2, 3, 4, 5], 2)) unordered.push(v);
      assert.deepEqual(
        unordered.sort((a, b) => a - b),
        [1, 4, 9, 16, 25],
      );
    });
  });

  test(`${kind}: join() before close() is an error; after close() no new work`, async () => {
    const pool = new Kind(1);
    await assert.rejects(pool.join(), /close\(\) first/);
    pool.close();
    assert.throws(() => pool.applyAsync(tasks.square, [1]), /closed/);
    await within(pool.join(), 90000, "join");
  });

  test(`${kind}: get(timeout) rejects with TimeoutError; terminate drops pending work`, async () => {
    const pool = new Kind(1);
    const slow = pool.applyAsync(tasks.sleeper, [30]);
    const queued = pool.applyAsync(tasks.square, [2]);
    await assert.rejects(slow.get(0.1), TimeoutError);
    await within(pool.terminate(), 60000, "terminate");
    await assert.rejects(queued.get(5), ProcessCrashedError);
    await assert.rejects(slow.get(5), ProcessCrashedError);
  });
}

test("Pool workers are other processes; ThreadPool workers are threads of this process", async () => {
  await Pool.with(2, async (pool) => {
    const pids = await pool.map(tasks.pidOf, [1, 2, 3, 4], 1);
    for (const pid of pids) assert.notEqual(pid, process.pid);
    for (const pid of pids) assert.ok(pool.workerIds.includes(pid));
  });
  await ThreadPool.with(2, async (pool) => {
    const pids = await pool.map(tasks.pidOf, [1, 2, 3, 4], 1);
    assert.deepEqual(pids, [process.pid, process.pid, process.pid, process.pid]);
  });
});

test("a ThreadPool works inside a child process (shared objects relayed to the owner)", async () => {
  const out = new Queue<number[]>();
  const p = new Process({ target: tasks.threadPoolInChild, args: [out] });
  p.start();
  assert.deepEqual(await within(out.get(true, 90), 95000, "result"), [1, 4, 9]);
  await within(p.join(), 60000, "join");
  assert.equal(p.exitCode, 0);
});

test("leaving Pool.with terminates the workers", async () => {
  let ids: number[] = [];
  await Pool.with(2, (pool) => {
    ids = pool.workerIds;
  });
  assert.equal(ids.length, 2);
  assert.ok(await eventually(() => ids.every((pid) => !isRunning(pid)), 30000));
});

test("a worker that dies mid-task fails that task with ProcessCrashedError and is replaced", async () => {
  const { cell, text } = recordingCell();
  const pool = runInCell(cell, () => new Pool(1));
  const before = pool.workerIds[0];
  const r: AsyncResult = pool.applyAsync(tasks.exitWith, [5]);
  await assert.rejects(
    r.get(90),
    (e: Error) => e instanceof ProcessCrashedError && /exited with code 5/.test(e.message),
  );
  assert.equal(await within(pool.apply(tasks.square, [4]), 90000, "after crash"), 16);
  assert.notEqual(pool.workerIds[0], before);
  assert.match(text("stderr"), /exited with code 5; starting a replacement/);
  await pool.terminate();
});

test("Python's default chunk size", () => {
  assert.equal(defaultChunksize(0, 2), 0);
  assert.equal(defaultChunksize(1, 2), 1);
  assert.equal(defaultChunksize(8, 2), 1);
  assert.equal(defaultChunksize(9, 2), 2);
  assert.equal(defaultChunksize(10000, 2), 1250);
  assert.equal(defaultChunksize(10001, 4), 626);
});

test("a pool's output lands under its cell; interrupt terminates it", async () => {
  const { cell, text } = recordingCell();
  const pool = runInCell(cell, () => new Pool(2));
  await within(pool.map(tasks.printer, ["a", "b"]), 90000, "map");
  assert.match(text("stdout"), /out:a\n/);
  assert.match(text("stdout"), /out:b\n/);
  const ids = pool.workerIds;
  const pending = pool.applyAsync(tasks.sleeper, [30]);
  await cell.interrupt();
  await assert.rejects(pending.get(10), ProcessCrashedError);
  assert.ok(await eventually(() => ids.every((pid) => !isRunning(pid)), 30000));
});
