import { test } from "node:test";
import assert from "node:assert/strict";
import { runInCell } from "../../../src/runtime/cell-context";
import { createTask, sleep, run, CancelledError, Queue } from "../../../src/concurrency/asyncio";
import { bounded, recordingCell } from "./helpers";

test("interrupting a cell cancels its pending tasks and its top-level waits", async () => {
  const { cell } = recordingCell();
  const cleaned: string[] = [];
  const { tasks, topLevel } = runInCell(cell, () => {
    const tasks = [1, 2].map((n) =>
      createTask(async () => {
        try {
          await sleep(30);
        } finally {
          cleaned.push(`task ${n}`);
        }
      }),
    );
    const topLevel = new Queue<number>().get(); // a wait outside any task, at the cell's top level
    return { tasks, topLevel };
  });
  await sleep(0.005);
  await cell.interrupt();
  for (const t of tasks)
    await bounded(
      t.then(
        () => assert.fail(),
        (e: unknown) => assert.ok(e instanceof CancelledError),
      ),
    );
  await bounded(
    assert.rejects(topLevel, (e: unknown) => e instanceof CancelledError && /interrupted/.test((e as Error).message)),
  );
  assert.deepEqual(cleaned.sort(), ["task 1", "task 2"]);
});

test("run(main) inside an interrupted cell is cancelled", async () => {
  const { cell } = recordingCell();
  const p = runInCell(cell, () => run(() => sleep(30)));
  await sleep(0.005);
  await cell.interrupt();
  await bounded(assert.rejects(p, CancelledError));
});

test("a task's error nobody awaited is reported to the cell that started it", async () => {
  const { cell, out } = recordingCell();
  runInCell(cell, () => {
    createTask(
      async () => {
        await sleep(0.001);
        throw new Error("nobody listens");
      },
      { name: "lonely" },
    );
  });
  await bounded(
    (async () => {
      while (!out.stderr.includes("nobody listens")) await sleep(0.002);
    })(),
  );
  assert.match(out.stderr, /Task exception was never retrieved/);
  assert.match(out.stderr, /'lonely'/);
  assert.match(out.stderr, /Await the task/);
});

test("an awaited task's error is not reported", async () => {
  const { cell, out } = recordingCell();
  await runInCell(cell, async () => {
    const t = createTask(async () => {
      throw new Error("handled");
    });
    await assert.rejects(t, /handled/);
  });
  await sleep(0.005);
  assert.equal(out.stderr, "");
});

test("late output of a task lands in the cell that started it", async () => {
  const first = recordingCell();
  const second = recordingCell();
  const { writeStream } = await import("../../../src/runtime/cell-context");
  const t = runInCell(first.cell, () =>
    createTask(async () => {
      await sleep(0.005);
      writeStream("stdout", "late line\n");
    }),
  );
  runInCell(second.cell, () => writeStream("stdout", "second cell\n"));
  await bounded(t);
  assert.equal(first.out.stdout, "late line\n");
  assert.equal(second.out.stdout, "second cell\n");
});
