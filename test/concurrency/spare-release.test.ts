import { after, test } from "node:test";
import assert from "node:assert/strict";
// Spares unused for 1 s are let go (read whenever the idle clock arms).
process.env.SPINDLE_SPARES_IDLE_S = "1";
import { activeChildPids, Process, Queue, warmUp } from "../../src/concurrency/multiprocessing";
import { Thread } from "../../src/concurrency/threading";
import { pool, prewarmThreads } from "../../src/concurrency/threading/pool";
import { cellStarting } from "../../src/runtime/spare-release";
import { runShutdownHooks } from "../../src/runtime/lifecycle";
import { whoAmI } from "./multiprocessing/fixtures/tasks";
import { isRunning } from "./multiprocessing/helpers";
import { until, within } from "../helpers/wait";

after(() => runShutdownHooks());

test("spare processes nobody takes are let go, and the next cell boots them again", async () => {
  await within(warmUp(2), 30_000, "two spares booting");
  const first = activeChildPids();
  assert.equal(first.length, 2);
  await until(
    () => activeChildPids().length === 0,
    10_000,
    () => `spares let go (live: ${activeChildPids()})`,
  );
  await until(() => first.every((pid) => !isRunning(pid)), 5000, "the spare processes to be gone");
  // Nothing boots them until a cell starts.
  assert.deepEqual(activeChildPids(), []);
  cellStarting();
  await until(
    () => activeChildPids().length === 2,
    10_000,
    () => `spares booted again (live: ${activeChildPids()})`,
  );
  assert.ok(
    activeChildPids().every((pid) => !first.includes(pid)),
    "new processes, not the old ones",
  );
  // And a start works as before.
  const q = new Queue<{ tag: string; ppid: number }>();
  const p = new Process({ target: whoAmI, args: [q, "after"] });
  p.start();
  const report = await within(q.get(), 30_000, "the started process to report");
  assert.deepEqual([report.tag, report.ppid], ["after", process.pid]);
  await within(p.join(), 30_000, "the process to end");
  await warmUp(0);
});

test("idle thread workers are let go too, and a starting cell warms them again", async () => {
  prewarmThreads(2);
  await until(() => pool.size >= 2, 10_000, "two warm thread workers");
  await until(
    () => pool.size === 0,
    10_000,
    () => `idle workers let go (alive: ${pool.size})`,
  );
  assert.equal(pool.idleCount, 0);
  cellStarting();
  await until(
    () => pool.idleCount === 2,
    10_000,
    () => `workers warmed again (idle: ${pool.idleCount})`,
  );
  const seen: number[] = [];
  const t = new Thread({ target: (out: number[]) => out.length, args: [seen] });
  t.start();
  await within(t.join(), 30_000, "a thread on a re-warmed worker");
});
