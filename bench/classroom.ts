/**
 * What one student costs a classroom server, Spindle beside ipykernel: time
 * from "start kernel" to the first result, memory of the kernel's whole
 * process tree (idle, then after a cell that used a pool and a thread, when
 * Spindle keeps warm spares), and shutdown time — with and without a CPU_LIMIT
 * of 1, which cuts Spindle's spares. Also the cost of reading the CPU quota,
 * which Spindle does on every default-sized pool.
 */
import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { startKernel } from "../src/client";
import { descendantsOf } from "../src/system/process-tree";
import { cpuQuota } from "../src/runtime/resources";
import { type Spread, showSpread, spread } from "./stats";

const run3 = promisify(execFile);
const ROUNDS = Number(process.env.SPINDLE_BENCH_ROUNDS ?? 5);

interface Sample {
  firstResultMs: number;
  idleMb: number;
  afterPoolMb: number;
  shutdownMs: number;
}

/** Resident memory (MB) of `pid` and all its descendants. */
function treeRssMb(pid: number): number {
  let kb = 0;
  for (const p of [pid, ...descendantsOf(pid)]) {
    try {
      kb += Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${p}/status`, "utf8"))?.[1] ?? 0);
    } catch {
      // Gone meanwhile.
    }
  }
  return kb / 1024;
}

const SPINDLE_POOL_CELL = [
  `import { Pool } from "spindle/multiprocessing";`,
  `import { Thread } from "spindle/threading";`,
  `const t = new Thread({ target: () => 1 }); t.start(); await t.join();`,
  `const p = new Pool(); await p.map((x: number) => x * 2, [1, 2, 3]); await p.terminate();`,
].join("\n");

async function spindleOnce(env: NodeJS.ProcessEnv): Promise<Sample> {
  const t0 = performance.now();
  const kernel = await startKernel({ env, stderr: "ignore", startupTimeout: 120 });
  const first = await kernel.client.execute("1+1", { timeout: 120 });
  const firstResultMs = performance.now() - t0;
  if (first.status !== "ok") throw new Error("1+1 failed in the Spindle kernel");
  await new Promise((r) => setTimeout(r, 500));
  const idleMb = treeRssMb(kernel.pid!);
  const pool = await kernel.client.execute(SPINDLE_POOL_CELL, { timeout: 120 });
  if (pool.status !== "ok") throw new Error(`pool cell failed: ${JSON.stringify(pool.outputs.map((m) => m.content))}`);
  await new Promise((r) => setTimeout(r, 1000)); // spares refill in the background
  const afterPoolMb = treeRssMb(kernel.pid!);
  const t1 = performance.now();
  await kernel.shutdown(30);
  return { firstResultMs, idleMb, afterPoolMb, shutdownMs: performance.now() - t1 };
}

const IPYKERNEL = String.raw`
import json, re, time
from jupyter_client.manager import KernelManager

def tree_rss_mb(pid):
    kids = {}
    import os
    for e in os.listdir("/proc"):
        if e.isdigit():
            try:
                s = open(f"/proc/{e}/stat").read()
                kids.setdefault(int(s[s.rindex(")") + 2:].split()[1]), []).append(int(e))
            except OSError:
                pass
    todo, kb = [pid], 0
    while todo:
        p = todo.pop()
        todo += kids.get(p, [])
        try:
            kb += int(re.search(r"VmRSS:\s+(\d+)", open(f"/proc/{p}/status").read()).group(1))
        except (OSError, AttributeError):
            pass
    return kb / 1024

def run(code, kc):
    msg_id = kc.execute(code)
    while True:
        m = kc.get_iopub_msg(timeout=120)
        if m["parent_header"].get("msg_id") == msg_id and m["msg_type"] == "status" and m["content"]["execution_state"] == "idle":
            return

t0 = time.perf_counter()
km = KernelManager(kernel_name="python3")
km.start_kernel()
kc = km.client()
kc.start_channels()
kc.wait_for_ready(timeout=120)
run("1+1", kc)
first = (time.perf_counter() - t0) * 1000
time.sleep(0.5)
pid = km.provisioner.process.pid
idle = tree_rss_mb(pid)
run("from multiprocessing import Pool\nimport threading\nt = threading.Thread(target=lambda: 1); t.start(); t.join()\nwith Pool() as p: p.map(abs, [1, 2, 3])", kc)
time.sleep(1)
after = tree_rss_mb(pid)
t1 = time.perf_counter()
kc.stop_channels()
km.shutdown_kernel(now=False)
print(json.dumps({"firstResultMs": first, "idleMb": idle, "afterPoolMb": after, "shutdownMs": (time.perf_counter() - t1) * 1000}))
`;

async function ipykernelOnce(env: NodeJS.ProcessEnv): Promise<Sample> {
  const { stdout } = await run3("/usr/bin/python3", ["-c", IPYKERNEL], { env, timeout: 300_000 });
  return JSON.parse(stdout.trim().split("\n").pop()!) as Sample;
}

type Spreads = { [K in keyof Sample]: Spread };

/** Runs every kernel once per round, the kernels alternating, and gives each figure's median and range. */
async function measureAll(
  kernels: Array<[(env: NodeJS.ProcessEnv) => Promise<Sample>, NodeJS.ProcessEnv]>,
): Promise<Spreads[]> {
  const samples: Sample[][] = kernels.map(() => []);
  for (let i = 0; i < ROUNDS; i++) {
    for (let k = 0; k < kernels.length; k++) {
      const j = (i + k) % kernels.length;
      const [once, env] = kernels[j]!;
      samples[j]!.push(await once(env));
    }
  }
  return samples.map((ss) => ({
    firstResultMs: spread(ss.map((s) => s.firstResultMs)),
    idleMb: spread(ss.map((s) => s.idleMb)),
    afterPoolMb: spread(ss.map((s) => s.afterPoolMb)),
    shutdownMs: spread(ss.map((s) => s.shutdownMs)),
  }));
}

async function pythonCpuCountNs(): Promise<number> {
  const code =
    "import os, time\nn = 200000\nt = time.perf_counter()\nfor _ in range(n): os.cpu_count()\nprint((time.perf_counter() - t) / n * 1e9)";
  return Number((await run3("/usr/bin/python3", ["-c", code], { timeout: 120_000 })).stdout.trim());
}

/** Prints the classroom table. */
export async function run(): Promise<void> {
  const base: NodeJS.ProcessEnv = { ...process.env };
  for (const k of ["CPU_LIMIT", "MEM_LIMIT", "NODE_TEST_CONTEXT"]) delete base[k];
  const quota1 = { ...base, CPU_LIMIT: "1" };
  const measured = await measureAll([
    [spindleOnce, base],
    [spindleOnce, quota1],
    [ipykernelOnce, base],
  ]);
  const names = ["Spindle (no quota)", "Spindle (CPU_LIMIT=1)", "ipykernel 6 (Python 3)"];
  const rows = names.map((name, i) => [name, measured[i]!] as const);
  const n = 20_000;
  const t0 = performance.now();
  for (let i = 0; i < n; i++) cpuQuota();
  const quotaUs = ((performance.now() - t0) / n) * 1000;
  const pyNs = await pythonCpuCountNs();
  const load = os
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(" ");
  process.stdout.write(
    `Per student, median (min–max) of ${ROUNDS} alternating rounds (${os.cpus().length} cores, load ${load}):\n\n`,
  );
  process.stdout.write(
    "| kernel | start → 1+1 result | idle tree RSS | RSS after a pool + thread cell | shutdown |\n|---|---|---|---|---|\n",
  );
  for (const [name, s] of rows) {
    const f = (x: Spread, unit: string): string => `${showSpread(x, (n) => n.toFixed(0))} ${unit}`;
    process.stdout.write(
      `| ${name} | ${f(s.firstResultMs, "ms")} | ${f(s.idleMb, "MB")} | ${f(s.afterPoolMb, "MB")} | ${f(s.shutdownMs, "ms")} |\n`,
    );
  }
  process.stdout.write(`\n| lookup | per call |\n|---|---|\n`);
  process.stdout.write(`| Spindle cpuQuota() (CPU_LIMIT, cgroup files, cores) | ${quotaUs.toFixed(1)} µs |\n`);
  process.stdout.write(`| Python os.cpu_count() (no quota awareness) | ${(pyNs / 1000).toFixed(2)} µs |\n`);
  process.stdout.write(
    `\nRSS counts shared pages once per process, so it overstates the tree; compare rows, not absolutes. (${path.basename(__filename)})\n`,
  );
}
