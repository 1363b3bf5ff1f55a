import { test } from "node:test";
import assert from "node:assert/strict";
import { startTestKernel } from "../helpers/kernel-harness";
import { descendants, isAlive, waitAllDead } from "../helpers/procs";

type Content = Record<string, any>;

const SPAWN_SLEEPER =
  "import { spawn } from 'node:child_process'; const sleeper = spawn('sleep', ['300'], { stdio: 'ignore' }); sleeper.pid";

test("the executor dies (process.exit in a cell): clear error, fresh executor, next cell works", {
  timeout: 120_000,
}, async () => {
  const tk = await startTestKernel();
  try {
    await tk.client.execute("(globalThis as any).lost = 1;", { timeout: 60 });
    const crash = await tk.client.execute("process.exit(1)", { timeout: 60 });
    assert.equal(crash.status, "error");
    const reply = crash.reply.content as Content;
    assert.equal(reply.ename, "ExecutorDied");
    assert.match(reply.evalue, /lost|fresh/i, "the error says state was lost");
    const shown = crash.outputs.filter((m) => m.header.msg_type === "error");
    assert.equal(shown.length, 1, "the cell shows the error on iopub");
    const next = await tk.client.execute("(globalThis as any).lost === undefined ? 'fresh state' : 'old state'", {
      timeout: 60,
    });
    assert.equal(next.status, "ok");
    assert.equal((next.outputs[0]!.content as Content).data["text/plain"], "'fresh state'");
    assert.equal((await tk.client.kernelInfo({ timeout: 10 })).status, "ok");
  } finally {
    await tk.stop();
  }
});

test("shutdown_request: the kernel, its executor and a process a cell spawned are all gone", {
  timeout: 120_000,
}, async () => {
  const tk = await startTestKernel();
  let family: number[] = [];
  try {
    const r = await tk.client.execute(SPAWN_SLEEPER, { timeout: 60 });
    const sleeperPid = Number((r.outputs[0]!.content as Content).data["text/plain"]);
    assert.ok(isAlive(sleeperPid));
    family = [tk.kernel.pid!, ...descendants(tk.kernel.pid!)];
    assert.ok(family.length >= 3, `kernel, executor and sleeper: ${family.join(", ")}`);
    assert.ok(family.includes(sleeperPid));
    await tk.stop();
    assert.ok(await waitAllDead(family, 5000), "no process left");
  } finally {
    await tk.kernel.kill();
    killLeft(family);
  }
});

test("restart (shutdown_request restart: true, then a fresh process): count reset, state gone, nothing left", {
  timeout: 120_000,
}, async () => {
  const tk = await startTestKernel();
  try {
    await tk.client.execute("(globalThis as any).beforeRestart = 1;", { timeout: 60 });
    const second = await tk.client.execute("2", { timeout: 30 });
    assert.equal(second.executionCount, 2);
    const oldFamily = [tk.kernel.pid!, ...descendants(tk.kernel.pid!)];
    await tk.kernel.restart();
    assert.ok(await waitAllDead(oldFamily, 5000), "the old kernel and executor are gone");
    const after = await tk.client.execute("typeof (globalThis as any).beforeRestart", { timeout: 60 });
    assert.equal(after.executionCount, 1, "execution count starts again");
    assert.equal((after.outputs[0]!.content as Content).data["text/plain"], "'undefined'");
    const reply = tk.received.find((x) => x.channel === "control" && x.message.header.msg_type === "shutdown_reply");
    assert.deepEqual(reply?.message.content, { status: "ok", restart: true });
  } finally {
    await tk.stop();
  }
});

test("SIGTERM: the kernel shuts down and leaves nothing behind", { timeout: 120_000 }, async () => {
  const tk = await startTestKernel();
  let family: number[] = [];
  try {
    const r = await tk.client.execute(SPAWN_SLEEPER, { timeout: 60 });
    const sleeperPid = Number((r.outputs[0]!.content as Content).data["text/plain"]);
    family = [tk.kernel.pid!, ...descendants(tk.kernel.pid!)];
    assert.ok(family.includes(sleeperPid));
    process.kill(tk.kernel.pid!, "SIGTERM");
    const exit = await tk.kernel.exited;
    assert.equal(exit.code, 0);
    assert.ok(await waitAllDead(family, 5000), "no process left");
  } finally {
    await tk.kernel.kill();
    killLeft(family);
  }
});

/** Test cleanup when an assertion failed: nothing this file started may outlive it. */
function killLeft(pids: number[]): void {
  for (const pid of pids) {
    try {
      if (isAlive(pid)) process.kill(pid, "SIGKILL");
    } catch {
      // Already gone.
    }
  }
}
