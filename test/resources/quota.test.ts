/**
 * Pools under a CPU quota and a memory limit, as JupyterHub sets them: a real
 * script with CPU_LIMIT / MEM_LIMIT in its environment starts real pools.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import path from "node:path";
import { cpuQuota, workerHeapMb } from "../../src/runtime/resources";
import { descendants, waitAllDead } from "../helpers/procs";

const SCRIPT = path.join(__dirname, "fixtures", "quota-script.js");

interface Report {
  cpuCount: number;
  poolSize: number;
  poolWorkers: number;
  threadPoolSize: number;
  threadPoolWorkers: number;
  bigWorkers: number;
  bigThreadWorkers: number;
  spares: number;
  liveChildren: number;
  processHeap: number;
  threadingHeap: number;
  threadingWorkers: number;
  threadHeap: number;
  mainHeap: number;
  defaultsOutput: string;
  output: string;
}

/** Runs the script with `extra` in its environment (CPU_LIMIT/MEM_LIMIT removed first); checks it leaves no process behind. */
async function runScript(extra: Record<string, string>): Promise<Report> {
  const env: NodeJS.ProcessEnv = { ...process.env, ...extra };
  for (const key of ["CPU_LIMIT", "MEM_LIMIT", "SPINDLE_WORKER_HEAP_MB", "NODE_TEST_CONTEXT"])
    if (!(key in extra)) delete env[key];
  const child = spawn(process.execPath, [SCRIPT], { env, stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  let err = "";
  let seen: number[] = [];
  child.stdout.on("data", (d: Buffer) => {
    out += d.toString();
    seen = [...new Set([...seen, ...descendants(child.pid!)])];
  });
  child.stderr.on("data", (d: Buffer) => (err += d.toString()));
  const timer = setTimeout(() => child.kill("SIGKILL"), 90_000);
  const code = await new Promise<number | null>((resolve) => child.once("close", resolve));
  clearTimeout(timer);
  assert.equal(code, 0, `quota script failed (${code}):\n${err}`);
  assert.ok(await waitAllDead(seen, 10_000), `children left behind: ${seen.join(", ")}`);
  return JSON.parse(out.trim().split("\n").pop()!) as Report;
}

test("CPU_LIMIT=1: Pool() and ThreadPool() get one worker, one warm spare, and Pool(3) warns in the cell", async () => {
  const r = await runScript({ CPU_LIMIT: "1" });
  assert.equal(r.cpuCount, 1);
  assert.equal(r.poolSize, 1);
  assert.equal(r.poolWorkers, 1);
  assert.equal(r.threadPoolSize, 1);
  assert.equal(r.threadPoolWorkers, 1);
  assert.equal(r.spares, 1);
  assert.equal(r.defaultsOutput, "", "default-sized pools do not warn");
  assert.match(
    r.output,
    /\[stderr\]Warning: Pool\(3\) asks for 3 workers, but this server's CPU quota is 1 \(CPU_LIMIT=1\)/,
  );
  assert.match(r.output, /\[stderr\]Warning: ThreadPool\(3\) asks for 3 workers/);
  // What was asked, never more: the explicit pools have exactly 3 workers, and Spindle's own
  // children are the pools' workers plus at most the one spare.
  assert.equal(r.bigWorkers, 3);
  assert.equal(r.bigThreadWorkers, 3);
  assert.ok(r.liveChildren <= 1 + 3 + r.spares, `live children ${r.liveChildren}`);
  // spindle/threading keeps one spare worker too: the thread's worker plus one.
  assert.ok(r.threadingWorkers >= 1 && r.threadingWorkers <= 2, `thread workers ${r.threadingWorkers}`);
});

test("CPU_LIMIT=0.5 still gives one worker; no quota gives what the cgroup or the cores allow, without warnings", async () => {
  const half = await runScript({ CPU_LIMIT: "0.5" });
  assert.equal(half.poolSize, 1);
  const free = await runScript({});
  const here = cpuQuota({ env: {} });
  assert.equal(free.cpuCount, here.count);
  assert.equal(free.poolSize, here.count);
  assert.equal(free.threadPoolSize, here.count);
  if (here.source === "cores")
    assert.equal(free.output, "", "oversubscribing without a quota is an experiment, not a mistake");
});

test("MEM_LIMIT caps the heap of pool processes and pool threads, not the parent's", async () => {
  const capped = await runScript({ CPU_LIMIT: "1", MEM_LIMIT: "256M" });
  const cap = workerHeapMb({ env: { MEM_LIMIT: "256M" } })!;
  assert.equal(cap, 128);
  // V8 adds the young generation to the old-space cap it was given.
  for (const [what, mb] of [
    ["process", capped.processHeap],
    ["ThreadPool", capped.threadHeap],
    ["Thread", capped.threadingHeap],
  ] as const) {
    assert.ok(mb >= cap && mb <= cap + 64, `${what} worker heap limit ${mb} MB for a cap of ${cap} MB`);
  }
  assert.ok(capped.mainHeap > cap + 64, `the script's own heap (${capped.mainHeap} MB) is not capped`);
  const free = await runScript({ CPU_LIMIT: "1" });
  assert.ok(free.threadingHeap > cap + 64 && free.processHeap > cap + 64, "without MEM_LIMIT, V8's default heap");
});
