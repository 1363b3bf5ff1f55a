import { test } from "node:test";
import assert from "node:assert/strict";
import {
  taskGroup,
  sleep,
  createTask,
  ExceptionGroup,
  CancelledError,
  RuntimeError,
  type TaskGroup,
} from "../../../src/concurrency/asyncio";
import { bounded } from "./helpers";

test("the group waits for all its tasks and returns the body's result", async () => {
  const done: number[] = [];
  const r = await bounded(
    taskGroup(async (tg) => {
      for (const n of [3, 1, 2])
        tg.createTask(async () => {
          await sleep(n * 0.003);
          done.push(n);
        });
      return "body";
    }),
  );
  assert.equal(r, "body");
  assert.deepEqual(done.sort(), [1, 2, 3], "every task finished before the group returned");
});

test("one failing task cancels the others and the body; errors come out as an ExceptionGroup", async () => {
  const cleaned: string[] = [];
  let bodyCancelled = false;
  const err = await bounded(
    taskGroup(async (tg) => {
      tg.createTask(async () => {
        await sleep(0.005);
        throw new Error("first failure");
      });
      tg.createTask(async () => {
        try {
          await sleep(30);
        } finally {
          cleaned.push("sibling");
        }
      });
      try {
        await sleep(30);
      } catch (e) {
        bodyCancelled = e instanceof CancelledError;
        throw e;
      }
    }).then(
      () => assert.fail("should throw"),
      (e: unknown) => e,
    ),
  );
  assert.ok(err instanceof ExceptionGroup);
  assert.equal(err.code, "ERR_SPINDLE_EXCEPTION_GROUP");
  assert.deepEqual(
    err.exceptions.map((e) => e.message),
    ["first failure"],
  );
  assert.deepEqual(err.errors, err.exceptions);
  assert.deepEqual(cleaned, ["sibling"]);
  assert.equal(bodyCancelled, true);
});

test("errors of several tasks are all aggregated", async () => {
  const err = await bounded(
    taskGroup(async (tg) => {
      tg.createTask(async () => {
        throw new Error("a");
      });
      tg.createTask(async () => {
        throw new Error("b");
      });
    }).then(
      () => assert.fail(),
      (e: unknown) => e as ExceptionGroup,
    ),
  );
  assert.deepEqual(err.exceptions.map((e) => e.message).sort(), ["a", "b"]);
});

test("an error in the body cancels the tasks and is part of the group", async () => {
  const cleaned: string[] = [];
  const err = await bounded(
    taskGroup(async (tg) => {
      tg.createTask(async () => {
        try {
          await sleep(30);
        } finally {
          cleaned.push("t");
        }
      });
      await sleep(0.002);
      throw new RangeError("body failed");
    }).then(
      () => assert.fail(),
      (e: unknown) => e as ExceptionGroup,
    ),
  );
  assert.ok(err instanceof ExceptionGroup);
  assert.ok(err.exceptions[0] instanceof RangeError);
  assert.deepEqual(cleaned, ["t"]);
});

test("cancelling the task that runs the group cancels its tasks and stays a CancelledError", async () => {
  const cleaned: string[] = [];
  const outer = createTask(() =>
    taskGroup(async (tg) => {
      tg.createTask(async () => {
        try {
          await sleep(30);
        } finally {
          cleaned.push("child");
        }
      });
      await sleep(30);
    }),
  );
  await sleep(0.005);
  outer.cancel();
  await bounded(
    outer.then(
      () => assert.fail(),
      (e: unknown) => assert.ok(e instanceof CancelledError),
    ),
  );
  assert.deepEqual(cleaned, ["child"]);
});

test("cancelled while waiting for its tasks after the body returned: still cancels them", async () => {
  const cleaned: string[] = [];
  const outer = createTask(() =>
    taskGroup(async (tg) => {
      tg.createTask(async () => {
        try {
          await sleep(30);
        } finally {
          cleaned.push("child");
        }
      });
    }),
  );
  await sleep(0.005);
  outer.cancel();
  await bounded(
    outer.then(
      () => assert.fail(),
      (e: unknown) => assert.ok(e instanceof CancelledError),
    ),
  );
  assert.deepEqual(cleaned, ["child"]);
});

test("a finished group takes no new tasks", async () => {
  let saved: TaskGroup | undefined;
  await bounded(
    taskGroup(async (tg) => {
      saved = tg;
    }),
  );
  assert.throws(
    () => saved!.createTask(() => sleep(0)),
    (e: unknown) => e instanceof RuntimeError && e.code === "ERR_SPINDLE_TASK_GROUP_CLOSED",
  );
});

test("task errors handled by the group are not reported as never retrieved", async () => {
  const written: string[] = [];
  const original = process.stderr.write.bind(process.stderr);
  process.stderr.write = ((chunk: string | Uint8Array) => {
    written.push(String(chunk));
    return true;
  }) as typeof process.stderr.write;
  try {
    await taskGroup(async (tg) => {
      tg.createTask(async () => {
        throw new Error("handled");
      });
    }).catch(() => undefined);
    await new Promise((r) => setTimeout(r, 5));
  } finally {
    process.stderr.write = original;
  }
  assert.equal(written.join("").includes("never retrieved"), false);
});
