import { test } from "node:test";
import assert from "node:assert/strict";
import {
  createTask,
  currentTask,
  sleep,
  shield,
  type Task,
  CancelledError,
  InvalidStateError,
  Future,
  run,
} from "../../../src/concurrency/asyncio";
import { bounded, turns } from "./helpers";

test("a task starts on a later tick, in creation order", async () => {
  const log: string[] = [];
  const a = createTask(async () => {
    log.push("a");
  });
  const b = createTask(async () => {
    log.push("b");
  });
  log.push("created");
  await bounded(Promise.all([a, b]));
  assert.deepEqual(log, ["created", "a", "b"]);
});

test("result, exception, done and name", async () => {
  const ok = createTask(
    async () => {
      await sleep(0.005);
      return 42;
    },
    { name: "answer" },
  );
  assert.equal(ok.done(), false);
  assert.throws(() => ok.result(), InvalidStateError);
  assert.equal(await bounded(ok), 42);
  assert.equal(ok.done(), true);
  assert.equal(ok.result(), 42);
  assert.equal(ok.exception(), undefined);
  assert.equal(ok.name, "answer");
  assert.equal(ok.getName(), "answer");
  ok.setName("renamed");
  assert.equal(ok.getName(), "renamed");
  assert.match(String(ok), /<Task done name='renamed'>/);

  const boom = new Error("boom");
  const bad = createTask(async () => {
    throw boom;
  });
  await bounded(
    bad.then(
      () => assert.fail("should reject"),
      (e: unknown) => assert.equal(e, boom),
    ),
  );
  assert.equal(bad.exception(), boom);
  assert.throws(
    () => bad.result(),
    (e) => e === boom,
  );
});

test("cancel() delivers CancelledError at the task's next await point", async () => {
  const steps: string[] = [];
  const t = createTask(async () => {
    steps.push("start");
    try {
      await sleep(30);
      steps.push("not reached");
    } catch (err) {
      steps.push(err instanceof CancelledError ? "cancelled" : "other");
      await sleep(0.001); // cleanup may still await: delivery is once, as in Python
      steps.push("cleaned up");
      throw err;
    }
  });
  await sleep(0.005);
  assert.equal(t.cancel("stop now"), true);
  await bounded(
    t.then(
      () => assert.fail("should be cancelled"),
      (e: unknown) => {
        assert.ok(e instanceof CancelledError);
        assert.equal(e.message, "stop now");
      },
    ),
  );
  assert.deepEqual(steps, ["start", "cancelled", "cleaned up"]);
  assert.equal(t.cancelled(), true);
  assert.equal(t.cancel(), false, "cancel on a done task returns false");
  assert.throws(() => t.result(), CancelledError);
  assert.throws(() => t.exception(), CancelledError);
});

test("a task cancelled before it starts never runs", async () => {
  let ran = false;
  const t = createTask(async () => {
    ran = true;
  });
  t.cancel();
  await bounded(
    t.then(
      () => assert.fail(),
      (e: unknown) => assert.ok(e instanceof CancelledError),
    ),
  );
  await turns(2);
  assert.equal(ran, false);
});

test("a cancel that finds the task busy outside Spindle waits is delivered at the next Spindle wait", async () => {
  let release!: () => void;
  const gate = new Promise<void>((r) => {
    release = r;
  });
  const seen: string[] = [];
  const t = createTask(async () => {
    await gate; // a plain promise: not a Spindle await point
    seen.push("after gate");
    await sleep(0); // the pending cancel lands here
    seen.push("not reached");
  });
  await turns(1);
  t.cancel();
  assert.equal(t.done(), false, "still running: cancellation is cooperative");
  assert.equal(t.cancelling(), 1);
  release();
  await bounded(
    t.then(
      () => assert.fail(),
      (e: unknown) => assert.ok(e instanceof CancelledError),
    ),
  );
  assert.deepEqual(seen, ["after gate"]);
});

test("task.signal aborts on cancel, for non-Spindle waits", async () => {
  const { setTimeout: delay } = await import("node:timers/promises");
  const t: Task<void> = createTask(async () => {
    await delay(30_000, undefined, { signal: currentTask()!.signal as AbortSignal });
  });
  await turns(1);
  t.cancel();
  await bounded(
    t.then(
      () => assert.fail(),
      (e: unknown) => assert.ok(e instanceof Error),
    ),
  );
  assert.equal(t.signal.aborted, true);
});

test("a promise-form task is settled as cancelled at once; the work runs on unobserved", async () => {
  let finished = false;
  const work = (async () => {
    await new Promise((r) => setTimeout(r, 20));
    finished = true;
    return 1;
  })();
  const t = createTask(work);
  t.cancel();
  assert.equal(t.cancelled(), true);
  await bounded(work);
  assert.equal(finished, true);
  assert.equal(t.cancelled(), true);
});

test("currentTask() names the running task; undefined outside", async () => {
  assert.equal(currentTask(), undefined);
  let seen: Task<unknown> | undefined;
  const t = createTask(
    async () => {
      await sleep(0);
      seen = currentTask();
    },
    { name: "me" },
  );
  await bounded(t);
  assert.equal(seen, t);
});

test("cancelling a task cancels the task it awaits; shield() prevents that", async () => {
  const inner = createTask(() => sleep(30));
  const outer = createTask(async () => {
    await inner;
  });
  await sleep(0.005);
  outer.cancel();
  await bounded(
    outer.then(
      () => assert.fail(),
      () => undefined,
    ),
  );
  await bounded(
    inner.then(
      () => assert.fail(),
      () => undefined,
    ),
  );
  assert.equal(inner.cancelled(), true);

  const release = new Future<string>();
  const protectedTask = createTask(async () => await release);
  const outer2 = createTask(async () => {
    await shield(protectedTask);
  });
  await sleep(0.005);
  outer2.cancel();
  await bounded(
    outer2.then(
      () => assert.fail(),
      (e: unknown) => assert.ok(e instanceof CancelledError),
    ),
  );
  assert.equal(protectedTask.done(), false, "the shielded task kept running");
  release.setResult("kept");
  assert.equal(await bounded(protectedTask), "kept");
});

test("addDoneCallback runs once when done, removeDoneCallback unregisters", async () => {
  const calls: string[] = [];
  const t = createTask(() => sleep(0.005, "v"));
  const cb = (f: Future<string>): void => {
    calls.push(`cb:${f.result()}`);
  };
  const removed = (): void => {
    calls.push("removed");
  };
  t.addDoneCallback(cb);
  t.addDoneCallback(removed);
  assert.equal(t.removeDoneCallback(removed), 1);
  await bounded(t);
  await turns(1);
  t.addDoneCallback(cb); // already done: runs soon
  await turns(1);
  assert.deepEqual(calls, ["cb:v", "cb:v"]);
});

test("Future: setResult/setException once, then InvalidStateError", async () => {
  const f = new Future<number>();
  setTimeout(() => f.setResult(7), 1);
  assert.equal(await bounded(f), 7);
  assert.throws(() => f.setResult(8), InvalidStateError);
  const g = new Future<number>();
  g.setException(new RangeError("bad"));
  await bounded(
    g.then(
      () => assert.fail(),
      (e: unknown) => assert.ok(e instanceof RangeError),
    ),
  );
  assert.throws(() => g.setException(new Error("again")), InvalidStateError);
  const h = new Future<number>();
  assert.equal(h.cancel(), true);
  await bounded(
    h.then(
      () => assert.fail(),
      (e: unknown) => assert.ok(e instanceof CancelledError),
    ),
  );
});

test("run(main) returns main's result and cancels the tasks it left running", async () => {
  const log: string[] = [];
  const result = await bounded(
    run(async () => {
      createTask(async () => {
        try {
          await sleep(30);
        } finally {
          log.push("leftover cleaned up");
        }
      });
      await sleep(0.005);
      return "main done";
    }),
  );
  assert.equal(result, "main done");
  assert.deepEqual(log, ["leftover cleaned up"]);
});

test("run(main) rejects with main's error, after cleaning up", async () => {
  const log: string[] = [];
  await bounded(
    assert.rejects(
      run(async () => {
        createTask(async () => {
          try {
            await sleep(30);
          } finally {
            log.push("cleaned");
          }
        });
        await sleep(0.002);
        throw new SyntaxError("main failed");
      }),
      SyntaxError,
    ),
  );
  assert.deepEqual(log, ["cleaned"]);
});

test("run(promise) works too (the promise already started outside the runner)", async () => {
  assert.equal(
    await bounded(
      run(
        (async () => {
          await sleep(0.001);
          return 5;
        })(),
      ),
    ),
    5,
  );
});
