import { test, after } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { join } from "node:path";
import { runShutdownHooks } from "../../../src/runtime/lifecycle";
import { Pool, Process, activeChildPids } from "../../../src/concurrency/multiprocessing";
import * as tasks from "./fixtures/tasks";
import { eventually, within } from "../../helpers/wait";
import { isRunning } from "./helpers";

after(() => runShutdownHooks());

const script = join(__dirname, "fixtures", "orphan-parent.js");

async function startParent(mode: string): Promise<{ pid: number; children: number[]; exited: Promise<number | null> }> {
  const child = spawn(process.execPath, [script, mode], { stdio: ["ignore", "pipe", "inherit"] });
  const exited = new Promise<number | null>((r) => child.once("exit", (code) => r(code)));
  let buf = "";
  const line = await within(
    new Promise<string>((resolve) => {
      child.stdout.setEncoding("utf8").on("data", (t: string) => {
        buf += t;
        const nl = buf.indexOf("\n");
        if (nl >= 0) resolve(buf.slice(0, nl));
      });
    }),
    30000,
    "child pids",
  );
  return { pid: child.pid as number, children: JSON.parse(line) as number[], exited };
}

test("SIGKILL of the parent leaves no child behind (busy, sleeping, pool and spare children)", async () => {
  const { pid, children, exited } = await startParent("wait");
  assert.ok(
    children.length >= 6,
    `expected ≥ 6 children (2 processes, 2 pool workers, spares), got ${children.length}`,
  );
  for (const c of children) assert.ok(isRunning(c));
  process.kill(pid, "SIGKILL");
  await within(exited, 60000, "parent exit");
  // A child still starting when its parent died exits as soon as its first line runs, which on a
  // loaded machine can take seconds: the bound is generous, the point is that it happens.
  assert.ok(
    await eventually(() => children.every((c) => !isRunning(c)), 30000),
    `still running: ${children.filter(isRunning).join(",")}`,
  );
});

test("a script that ends leaves no daemon child behind", async () => {
  const { children, exited } = await startParent("exit");
  assert.equal(await within(exited, 90000, "script end"), 0);
  assert.ok(
    await eventually(() => children.every((c) => !isRunning(c)), 30000),
    `still running: ${children.filter(isRunning).join(",")}`,
  );
});

test("shutdown hooks kill every child of this process", async () => {
  const p = new Process({ target: tasks.sleeper, args: [60] });
  p.start();
  const pool = new Pool(2);
  void pool;
  const pids = activeChildPids();
  assert.ok(pids.length >= 3);
  await runShutdownHooks();
  assert.ok(
    await eventually(() => pids.every((c) => !isRunning(c)), 30000),
    `still running: ${pids.filter(isRunning).join(",")}`,
  );
  await within(p.join(), 60000, "join after shutdown");
  assert.equal(p.isAlive(), false);
  assert.equal(p.exitCode, -9);
});
