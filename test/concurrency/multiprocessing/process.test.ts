import { test, after } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { inspect } from "node:util";
import { runInCell } from "../../../src/runtime/cell-context";
import { runShutdownHooks } from "../../../src/runtime/lifecycle";
import {
  Process,
  Queue,
  currentProcess,
  parentProcess,
  getpid,
  getppid,
  ProcessStateError,
} from "../../../src/concurrency/multiprocessing";
import * as tasks from "./fixtures/tasks";
import { within } from "../../helpers/wait";
import { recordingCell } from "./helpers";

after(() => runShutdownHooks());

test("a target runs in another process whose parent is this process", async () => {
  const q = new Queue();
  const p = new Process({ target: tasks.whoAmI, args: [q, "a"], name: "worker-a" });
  p.start();
  assert.equal(typeof p.pid, "number");
  assert.notEqual(p.pid, process.pid);
  const info = (await within(q.get(), 60000, "child report")) as Record<string, unknown>;
  await within(p.join(), 60000, "join");
  assert.equal(info.pid, p.pid);
  assert.equal(info.ppid, process.pid);
  assert.equal(info.parentPid, process.pid);
  assert.equal(info.name, "worker-a");
  assert.equal(p.exitCode, 0);
  assert.equal(p.isAlive(), false);
});

test("two processes run at once with distinct pids", async () => {
  const q = new Queue();
  const ps = [
    new Process({ target: tasks.whoAmI, args: [q, "x"] }),
    new Process({ target: tasks.whoAmI, args: [q, "y"] }),
  ];
  for (const p of ps) p.start();
  const got = [await within(q.get(), 60000, "x"), await within(q.get(), 60000, "y")] as { pid: number }[];
  await Promise.all(ps.map((p) => within(p.join(), 60000, "join")));
  assert.deepEqual(new Set(got.map((g) => g.pid)), new Set(ps.map((p) => p.pid)));
  assert.notEqual(ps[0]!.pid, ps[1]!.pid);
});

test("a Process subclass runs its run() with its fields copied and its queue shared", async () => {
  const q = new Queue();
  const p = new tasks.Reporter("L1", q);
  p.name = "reporter";
  p.start();
  const got = (await within(q.get(), 60000, "report")) as Record<string, unknown>;
  await within(p.join(), 60000, "join");
  assert.deepEqual(got, { label: "L1", name: "reporter", pid: p.pid, ownPid: p.pid, alive: true });
});

test("args are copied and kwargs arrive as one last argument", async () => {
  const q = new Queue();
  const data = { list: [1, 2], when: new Date(0), map: new Map([["k", 1]]) };
  const p = new Process({ target: tasks.echoArgs, args: [q, data, "s"], kwargs: { verbose: true } });
  p.start();
  const got = await within(q.get(), 60000, "echo");
  await within(p.join(), 60000, "join");
  assert.deepEqual(got, [data, "s", { verbose: true }]);
  assert.equal(p.exitCode, 0);
});

test("join(timeout) returns while the child still runs; terminate() gives exitCode -15, kill() -9", async () => {
  const p = new Process({ target: tasks.sleeper, args: [30] });
  p.start();
  await within(p.join(0.2), 5000, "join with timeout");
  assert.equal(p.isAlive(), true);
  assert.equal(p.exitCode, null);
  p.terminate();
  await within(p.join(), 60000, "join after terminate");
  assert.equal(p.exitCode, -15);
  const k = new Process({ target: tasks.spin, args: [30000] });
  k.start();
  await new Promise((r) => setTimeout(r, 100));
  k.kill();
  await within(k.join(), 60000, "join after kill");
  assert.equal(k.exitCode, -9);
});

test("misuse is refused with clear errors", async () => {
  const p = new Process({ target: tasks.square, args: [2] });
  await assert.rejects(
    p.join(),
    (e: Error) => e instanceof ProcessStateError && (e as ProcessStateError).code === "ERR_SPINDLE_PROCESS_NOT_STARTED",
  );
  assert.match(inspect(p), /^<Process name='Process-\d+' initial>$/);
  p.start();
  assert.match(inspect(p), /^<Process name='Process-\d+' pid=\d+ started>$/);
  assert.throws(() => p.start(), /only be started once/);
  assert.throws(() => (p.daemon = true), /before start/);
  await within(p.join(), 60000, "join");
  assert.equal(p.exitCode, 0);
});

test("an exception in the target prints a traceback under the starting cell and exits with 1", async () => {
  const { cell, text } = recordingCell();
  const p = runInCell(cell, () => {
    const proc = new Process({ target: tasks.fails, args: ["bad thing"], name: "doomed" });
    proc.start();
    return proc;
  });
  await within(p.join(), 60000, "join");
  assert.equal(p.exitCode, 1);
  assert.match(text("stderr"), /Process doomed:\nTypeError: bad thing/);
});

test("a crash (process.exit, kill from outside) is reported under the starting cell", async () => {
  const { cell, text } = recordingCell();
  const p = runInCell(cell, () => {
    const proc = new Process({ target: tasks.exitWith, args: [3], name: "quitter" });
    proc.start();
    return proc;
  });
  await within(p.join(), 60000, "join");
  assert.equal(p.exitCode, 3);
  assert.match(text("stderr"), /quitter \(pid \d+\) exited with code 3/);
  const victim = runInCell(cell, () => {
    const proc = new Process({ target: tasks.sleeper, args: [30], name: "victim" });
    proc.start();
    return proc;
  });
  await new Promise((r) => setTimeout(r, 200));
  process.kill(victim.pid as number, "SIGKILL");
  await within(victim.join(), 60000, "join victim");
  assert.equal(victim.exitCode, -9);
  assert.match(text("stderr"), /victim \(pid \d+\) was killed by SIGKILL/);
});

test("a child that runs out of memory is reported under its cell with its signal", () => {
  // The script's children inherit the small heap through NODE_OPTIONS.
  const script = join(__dirname, "fixtures", "oom-parent.js");
  const r = spawnSync(process.execPath, [script], {
    env: { ...process.env, NODE_OPTIONS: "--max-old-space-size=40" },
    encoding: "utf8",
    timeout: 120_000,
  });
  assert.equal(r.status, 0, r.stderr);
  const got = JSON.parse(r.stdout.trim().split("\n").pop() as string) as { exitCode: number; stderr: string };
  assert.equal(got.exitCode, -6);
  assert.match(got.stderr, /heap out of memory/);
  assert.match(
    got.stderr,
    /hog \(pid \d+\) was killed by SIGABRT — the JavaScript heap may have run out of memory; exitCode -6/,
  );
});

test("output of a child lands under the cell that started it, even after another cell runs", async () => {
  const first = recordingCell("first");
  const second = recordingCell("second");
  const p = runInCell(first.cell, () => {
    const proc = new Process({ target: tasks.printer, args: ["hi"] });
    proc.start();
    return proc;
  });
  runInCell(second.cell, () => undefined);
  await within(p.join(), 60000, "join");
  assert.equal(first.text("stdout"), "out:hi\n");
  assert.equal(first.text("stderr"), "err:hi\n");
  assert.equal(second.out.length, 0);
});

test("interrupting the cell stops its processes", async () => {
  const { cell } = recordingCell();
  const p = runInCell(cell, () => {
    const proc = new Process({ target: tasks.sleeper, args: [30] });
    proc.start();
    return proc;
  });
  await new Promise((r) => setTimeout(r, 200));
  await cell.interrupt();
  await within(p.join(), 60000, "join after interrupt");
  assert.equal(p.isAlive(), false);
  assert.equal(p.exitCode, -9);
});

test("main-process identity helpers", () => {
  assert.equal(currentProcess().name, "MainProcess");
  assert.equal(currentProcess().pid, process.pid);
  assert.equal(parentProcess(), null);
  assert.equal(getpid(), process.pid);
  assert.equal(getppid(), process.ppid);
});

test("a child process waits for its non-daemon threads and cuts its daemon threads off; they may use its captures", async () => {
  const { Thread } = await import("../../../src/concurrency/threading");
  const ticks = 3;
  const pause = 0.05;
  // `tick` and `program` capture constants; in the child they arrive shipped and are shipped on to the thread.
  const tick = async (name: string, rounds: number) => {
    for (let i = 0; i < rounds; i++) await new Promise((r) => setTimeout(r, pause * 1000));
    console.log(`${name}: finished`);
  };
  const program = (daemon: boolean) => {
    const t = new Thread({ target: tick, args: [daemon ? "daemon" : "ordinary", daemon ? 200 : ticks], daemon });
    t.start();
    console.log(`program ${daemon}: returns`);
  };
  const { cell, text } = recordingCell();
  for (const daemon of [false, true]) {
    const p = runInCell(cell, () => {
      const proc = new Process({ target: program, args: [daemon] });
      proc.start();
      return proc;
    });
    await within(p.join(), 60000, "join");
    assert.equal(p.exitCode, 0, text("stderr"));
  }
  const out = text("stdout");
  assert.match(
    out,
    /program false: returns\n[\s\S]*ordinary: finished\n[\s\S]*program true: returns/,
    "the first child exited only after its thread finished",
  );
  assert.doesNotMatch(out, /daemon: finished/, "the daemon thread (10 s of ticks) was cut off when its process ended");
  assert.doesNotMatch(text("stderr"), /ShippingError/);
});
