/**
 * Kernel benchmark: Spindle against Debian's ipykernel and, when Deno is at
 * hand (installed with npm into a cache folder if missing, see bench/deno.ts),
 * Deno's kernel — all started and driven by the same ZeroMQ client (src/client)
 * in the same run, in alternating rounds (a fresh kernel of each per round, the
 * order rotated), each figure the median and min–max over the rounds.
 * SPINDLE_BENCH_BASELINE=<another built Spindle checkout> adds that checkout's
 * kernel as a fourth column, for before/after tables from one run.
 *
 *   cold start        spawn → first kernel_info_reply
 *   first execute     the first `1+1` after start: execute_request → execute_reply
 *   first result      spawn → execute_reply of that first cell
 *   round trip        `1+1` again and again: to execute_reply and to idle (p50 / p95 within a round)
 *   new cell          a different trivial cell each time (Spindle type-checks each one)
 *   idle memory       RSS (and PSS, which counts shared pages once) of the kernel's whole process tree
 *   flood             100,000 printed lines: wall time to idle, iopub messages, lines received, in order
 *   interrupt         a busy loop: interrupt_request → execute_reply
 */
import { existsSync, lstatSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { startKernel, type RunningKernel, type StartKernelOptions } from "../src/client";
import { descendantsOf } from "../src/system/process-tree";
import { findDeno, denoVersion } from "./deno";
import { percentile, showSpread, spread } from "./stats";

interface Flavour {
  name: string;
  options: StartKernelOptions;
  one: (i: number) => string;
  flood: string;
  spin: (marker: string) => string;
}

const ROUNDS = Number(process.env.SPINDLE_BENCH_ROUNDS ?? 5);
const WARM_UP = 20;
const ROUND_TRIPS = 100;
const NEW_CELLS = 20;
const FLOOD_LINES = 100_000;
/** An interrupt not answered within this many seconds counts as a hang (the kernel is then killed). */
const INTERRUPT_PATIENCE = 10;

function flavours(log: (line: string) => void): Flavour[] {
  const list: Flavour[] = [
    {
      name: "Spindle",
      options: {},
      one: (i) => `${i}+1`,
      flood: `for (let i = 0; i < ${FLOOD_LINES}; i++) console.log(i)`,
      spin: (m) => `import { writeFileSync as mark } from "node:fs"; mark(${JSON.stringify(m)}, ""); while (true) {}`,
    },
    {
      name: "ipykernel",
      options: { argv: ["/usr/bin/python3", "-m", "ipykernel_launcher", "-f", "{connection_file}"] },
      one: (i) => `${i}+1`,
      flood: `for i in range(${FLOOD_LINES}): print(i)`,
      spin: (m) => `open(${JSON.stringify(m)}, "w").close()\nwhile True: pass`,
    },
  ];
  const baseline = process.env.SPINDLE_BENCH_BASELINE;
  if (baseline) {
    const bin = join(resolve(baseline), "bin", "spindle.js");
    if (!existsSync(bin))
      throw new Error(
        `SPINDLE_BENCH_BASELINE=${baseline}: no bin/spindle.js there; point it at a built Spindle checkout.`,
      );
    // A symlinked node_modules makes that executor load TypeScript twice (through the link for its snapshot,
    // through the real path afterwards): ~36 MB more and a slower start, charged to the baseline.
    if (lstatSync(join(resolve(baseline), "node_modules"), { throwIfNoEntry: false })?.isSymbolicLink())
      throw new Error(
        `SPINDLE_BENCH_BASELINE=${baseline}: its node_modules is a symlink, which makes its executor load a second TypeScript; give it its own copy (cp -a node_modules) and build it again.`,
      );
    list.splice(1, 0, {
      ...list[0]!,
      name: "Spindle (baseline)",
      options: { argv: [process.execPath, bin, "kernel", "{connection_file}"] },
    });
  }
  const deno = findDeno(log);
  if (deno) {
    log(`Deno's kernel: ${denoVersion(deno)} (${deno})`);
    list.push({
      name: "Deno",
      options: {
        argv: [deno, "jupyter", "--kernel", "--conn", "{connection_file}"],
        env: { ...process.env, NO_COLOR: "1" },
      },
      one: (i) => `${i}+1`,
      flood: `for (let i = 0; i < ${FLOOD_LINES}; i++) console.log(i)`,
      spin: (m) => `Deno.writeTextFileSync(${JSON.stringify(m)}, ""); while (true) {}`,
    });
  }
  return list;
}

interface Round {
  coldStart: number;
  firstExecute: number;
  firstResult: number;
  replyP50: number;
  replyP95: number;
  idleP50: number;
  idleP95: number;
  newCell: number;
  rssMb: number;
  pssMb: number;
  processes: number;
  flood: { wall: number; messages: number; lines: number; inOrder: boolean };
  /** ms, or NaN when the kernel did not answer the interrupt in time. */
  interrupt: number;
}

/** Runs the benchmark and prints the table. */
export async function run(): Promise<void> {
  const log = (line: string): void => void process.stdout.write(`${line}\n`);
  const list = flavours(log);
  const loadBefore = loadavg()
    .map((l) => l.toFixed(2))
    .join(" ");
  const rounds: Round[][] = list.map(() => []);
  for (let r = 0; r < ROUNDS; r++) {
    for (let k = 0; k < list.length; k++) {
      const i = (r + k) % list.length;
      rounds[i]!.push(await measure(list[i]!));
    }
  }
  const loadAfter = loadavg()
    .map((l) => l.toFixed(2))
    .join(" ");
  log(
    `kernels: ${list.map((f) => f.name).join(", ")}; ${ROUNDS} alternating rounds, a fresh kernel each; ` +
      `median (min–max) over rounds; load ${loadBefore} at start, ${loadAfter} at end`,
  );
  const col = (f: (r: Round) => number, fmt: (n: number) => string = ms): string[] =>
    rounds.map((rs) => showSpread(spread(rs.map(f)), fmt));
  const rows: Array<[string, string[]]> = [
    ["cold start → kernel_info_reply", col((r) => r.coldStart)],
    ["first execute after start (1+1 → execute_reply)", col((r) => r.firstExecute)],
    ["first cell result (from spawn)", col((r) => r.firstResult)],
    [`1+1 → execute_reply p50 (n=${ROUND_TRIPS} per round)`, col((r) => r.replyP50)],
    ["1+1 → execute_reply p95", col((r) => r.replyP95)],
    ["1+1 → idle p50", col((r) => r.idleP50)],
    [`new trivial cell → idle p50 (n=${NEW_CELLS} per round)`, col((r) => r.newCell)],
    ["idle RSS of the process tree", col((r) => r.rssMb, mb)],
    ["idle PSS of the process tree", col((r) => r.pssMb, mb)],
    [
      "processes in the tree",
      col(
        (r) => r.processes,
        (n) => n.toFixed(0),
      ),
    ],
    ["100k-line print: wall to idle", col((r) => r.flood.wall)],
    [
      "100k-line print: iopub stream messages",
      col(
        (r) => r.flood.messages,
        (n) => n.toFixed(0),
      ),
    ],
    [
      "100k-line print: complete and in order",
      rounds.map((rs) => `${rs.filter((r) => r.flood.inOrder).length} of ${rs.length}`),
    ],
    ["100k-line print: fewest lines received", rounds.map((rs) => String(Math.min(...rs.map((r) => r.flood.lines))))],
    ["interrupt busy loop → execute_reply", col((r) => r.interrupt)],
    [
      "interrupt answered",
      rounds.map((rs) => `${rs.filter((r) => !Number.isNaN(r.interrupt)).length} of ${rs.length}`),
    ],
  ];
  const ratioRows: Array<[string, string[]]> = [];
  const spindle = rounds[0]!;
  for (let i = 1; i < list.length; i++) {
    const other = rounds[i]!;
    const ratio = (f: (r: Round) => number): string => {
      const a = spread(spindle.map(f)).median;
      const b = spread(other.map(f)).median;
      return Number.isNaN(a) || Number.isNaN(b) ? "–" : `${(a / b).toFixed(2)}×`;
    };
    ratioRows.push([
      `Spindle ÷ ${list[i]!.name}: 1+1 reply p50 / first execute / idle RSS`,
      list.map((_, j) =>
        j === i ? `${ratio((r) => r.replyP50)} / ${ratio((r) => r.firstExecute)} / ${ratio((r) => r.rssMb)}` : "",
      ),
    ]);
  }
  const all = [...rows, ...ratioRows];
  const w0 = Math.max(...all.map(([label]) => label.length), 7);
  const widths = list.map((f, i) => Math.max(f.name.length, ...all.map(([, values]) => values[i]!.length)));
  const line = (label: string, values: string[]): string =>
    `| ${label.padEnd(w0)} | ${values.map((v, i) => v.padStart(widths[i]!)).join(" | ")} |\n`;
  process.stdout.write(
    line(
      "measure",
      list.map((f) => f.name),
    ),
  );
  process.stdout.write(`|${"-".repeat(w0 + 2)}|${widths.map((w) => `${"-".repeat(w + 1)}:`).join("|")}|\n`);
  for (const [label, values] of all) process.stdout.write(line(label, values));
}

async function measure(f: Flavour): Promise<Round> {
  const t0 = performance.now();
  let coldStart = NaN;
  const kernel = await startKernel({
    ...f.options,
    stderr: "ignore",
    startupTimeout: 60,
    listener: (_channel, message) => {
      if (Number.isNaN(coldStart) && message.header.msg_type === "kernel_info_reply")
        coldStart = performance.now() - t0;
    },
  });
  let hung = false;
  try {
    const [firstExecute] = await timed(kernel, "1+1");
    const firstResult = performance.now() - t0;
    for (let i = 0; i < WARM_UP; i++) await timed(kernel, "1+1");
    const reply: number[] = [];
    const idle: number[] = [];
    for (let i = 0; i < ROUND_TRIPS; i++) {
      const [r, d] = await timed(kernel, "1+1");
      reply.push(r);
      idle.push(d);
    }
    const fresh: number[] = [];
    for (let i = 0; i < NEW_CELLS; i++) fresh.push((await timed(kernel, f.one(i + 2)))[1]);
    // Idle: nothing sent for a second (background warm-ups and GC settle), then the whole tree's memory.
    await new Promise((r) => setTimeout(r, 1000));
    const memory = treeMemory(kernel.pid!);
    const flood = await measureFlood(kernel, f.flood);
    const interrupt = await measureInterrupt(kernel, f);
    hung = Number.isNaN(interrupt);
    return {
      coldStart,
      firstExecute,
      firstResult,
      replyP50: percentile(reply, 50),
      replyP95: percentile(reply, 95),
      idleP50: percentile(idle, 50),
      idleP95: percentile(idle, 95),
      newCell: percentile(fresh, 50),
      rssMb: memory.rss / 1024,
      pssMb: memory.pss / 1024,
      processes: memory.processes,
      flood,
      interrupt,
    };
  } finally {
    if (hung) await kernel.kill();
    else await kernel.shutdown(10).catch(() => kernel.kill());
  }
}

/** Sum of RSS and PSS (kB) over `pid` and every process below it. */
function treeMemory(pid: number): { rss: number; pss: number; processes: number } {
  let rss = 0;
  let pss = 0;
  const pids = [pid, ...descendantsOf(pid)];
  for (const p of pids) {
    try {
      const rollup = readFileSync(`/proc/${p}/smaps_rollup`, "utf8");
      rss += Number(/^Rss:\s+(\d+)/m.exec(rollup)?.[1] ?? 0);
      pss += Number(/^Pss:\s+(\d+)/m.exec(rollup)?.[1] ?? 0);
    } catch {
      // Gone between listing and reading: it holds no memory any more.
    }
  }
  return { rss, pss, processes: pids.length };
}

/** [ms to execute_reply, ms to idle] of one execute. */
async function timed(kernel: RunningKernel, code: string): Promise<[number, number]> {
  const t = performance.now();
  let replyAt = NaN;
  const off = kernel.client.onMessage((channel, m) => {
    if (channel === "shell" && m.header.msg_type === "execute_reply") replyAt = performance.now();
  });
  try {
    const r = await kernel.client.execute(code, { timeout: 60 });
    if (r.status !== "ok") throw new Error(`${code} failed: ${JSON.stringify(r.reply.content)}`);
  } finally {
    off();
  }
  return [replyAt - t, performance.now() - t];
}

async function measureFlood(kernel: RunningKernel, code: string): Promise<Round["flood"]> {
  const t = performance.now();
  const r = await kernel.client.execute(code, { timeout: 120 });
  const wall = performance.now() - t;
  const streams = r.outputs.filter(
    (m) => m.header.msg_type === "stream" && (m.content as { name?: string }).name === "stdout",
  );
  const lines = streams
    .map((m) => (m.content as { text: string }).text)
    .join("")
    .split("\n")
    .slice(0, -1);
  const inOrder = lines.length === FLOOD_LINES && lines.every((l, i) => l === String(i));
  return { wall, messages: streams.length, lines: lines.length, inOrder };
}

async function measureInterrupt(kernel: RunningKernel, f: Flavour): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), "spindle-bench-"));
  const marker = join(dir, "running");
  let replyAt = NaN;
  const off = kernel.client.onMessage((channel, m) => {
    if (channel === "shell" && m.header.msg_type === "execute_reply") replyAt = performance.now();
  });
  try {
    const done = kernel.client.execute(f.spin(marker), { timeout: 600 });
    done.catch(() => undefined);
    const deadline = Date.now() + 30_000;
    while (!existsSync(marker) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 2));
    await new Promise((r) => setTimeout(r, 50));
    const t = performance.now();
    await kernel.client.interrupt(INTERRUPT_PATIENCE).catch(() => undefined);
    const answered = await Promise.race([
      done.then(
        () => true,
        () => false,
      ),
      new Promise<false>((r) => setTimeout(() => r(false), INTERRUPT_PATIENCE * 1000)),
    ]);
    return answered ? replyAt - t : NaN;
  } finally {
    off();
    rmSync(dir, { recursive: true, force: true });
  }
}

function ms(value: number): string {
  return Number.isNaN(value)
    ? "–"
    : value >= 1000
      ? `${(value / 1000).toFixed(2)} s`
      : `${value.toFixed(value < 10 ? 2 : 1)} ms`;
}

function mb(value: number): string {
  return `${value.toFixed(0)} MB`;
}

if (require.main === module) {
  run().catch((err) => {
    console.error(err);
    process.exitCode = 1;
  });
}
