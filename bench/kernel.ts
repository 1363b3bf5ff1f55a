/**
 * Kernel benchmark: Spindle against Debian's ipykernel, both started and driven
 * by the same ZeroMQ client (src/client) in the same run. Prints one table.
 *
 *   cold start        spawn → first kernel_info_reply
 *   first result      spawn → execute_result of the first cell (`1+1`)
 *   round trip        `1+1` again and again: to execute_reply and to idle (p50 / p95)
 *   new cell          a different trivial cell each time (Spindle type-checks each one)
 *   flood             100,000 printed lines: wall time to idle, iopub messages, lines received, in order
 *   interrupt         `while (true) {}` / `while True: pass`: interrupt_request → execute_reply
 */
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startKernel, type RunningKernel, type StartKernelOptions } from "../src/client";

interface Flavour {
  name: string;
  options: StartKernelOptions;
  one: (i: number) => string;
  flood: string;
  spin: (marker: string) => string;
}

const FLAVOURS: Flavour[] = [
  {
    name: "Spindle",
    options: {},
    one: (i) => `${i}+1`,
    flood: "for (let i = 0; i < 100_000; i++) console.log(i)",
    spin: (m) => `import { writeFileSync as mark } from "node:fs"; mark(${JSON.stringify(m)}, ""); while (true) {}`,
  },
  {
    name: "ipykernel",
    options: { argv: ["/usr/bin/python3", "-m", "ipykernel_launcher", "-f", "{connection_file}"] },
    one: (i) => `${i}+1`,
    flood: "for i in range(100_000): print(i)",
    spin: (m) => `open(${JSON.stringify(m)}, "w").close()\nwhile True: pass`,
  },
];

const ROUND_TRIPS = 200;
const NEW_CELLS = 50;
const INTERRUPTS = 5;

interface Row {
  label: string;
  values: string[];
}

/** Runs the benchmark and prints the table. */
export async function run(): Promise<void> {
  const results = [];
  for (const flavour of FLAVOURS) results.push(await measure(flavour));
  const rows: Row[] = [
    { label: "cold start → kernel_info_reply", values: results.map((r) => ms(r.coldStart)) },
    { label: "first cell result (from spawn)", values: results.map((r) => ms(r.firstResult)) },
    { label: `1+1 → execute_reply p50 / p95 (n=${ROUND_TRIPS})`, values: results.map((r) => `${ms(r.reply.p50)} / ${ms(r.reply.p95)}`) },
    { label: `1+1 → idle p50 / p95`, values: results.map((r) => `${ms(r.idle.p50)} / ${ms(r.idle.p95)}`) },
    { label: `new trivial cell → idle p50 (n=${NEW_CELLS})`, values: results.map((r) => ms(r.newCell)) },
    { label: "100k-line print: wall to idle", values: results.map((r) => ms(r.flood.wall)) },
    { label: "100k-line print: iopub stream messages", values: results.map((r) => String(r.flood.messages)) },
    { label: "100k-line print: lines received, in order", values: results.map((r) => `${r.flood.lines} ${r.flood.inOrder ? "yes" : "NO"}`) },
    { label: `interrupt busy loop → reply p50 (n=${INTERRUPTS})`, values: results.map((r) => ms(r.interrupt)) },
  ];
  const w0 = Math.max(...rows.map((r) => r.label.length), 6);
  const widths = FLAVOURS.map((f, i) => Math.max(f.name.length, ...rows.map((r) => r.values[i]!.length)));
  const line = (label: string, values: string[]): string => `| ${label.padEnd(w0)} | ${values.map((v, i) => v.padStart(widths[i]!)).join(" | ")} |\n`;
  process.stdout.write(line("measure", FLAVOURS.map((f) => f.name)));
  process.stdout.write(`|${"-".repeat(w0 + 2)}|${widths.map((w) => "-".repeat(w + 2)).join("|")}|\n`);
  for (const r of rows) process.stdout.write(line(r.label, r.values));
}

async function measure(f: Flavour) {
  const t0 = performance.now();
  let coldStart = NaN;
  const kernel = await startKernel({
    ...f.options,
    stderr: "ignore",
    startupTimeout: 60,
    listener: (_channel, message) => {
      if (Number.isNaN(coldStart) && message.header.msg_type === "kernel_info_reply") coldStart = performance.now() - t0;
    },
  });
  try {
    const first = await kernel.client.execute("1+1", { timeout: 60 });
    const firstResult = performance.now() - t0;
    if (first.status !== "ok") throw new Error(`${f.name}: 1+1 failed: ${JSON.stringify(first.reply.content)}`);
    const reply: number[] = [];
    const idle: number[] = [];
    for (let i = 0; i < ROUND_TRIPS; i++) {
      const [r, d] = await timed(kernel, "1+1");
      reply.push(r);
      idle.push(d);
    }
    const fresh: number[] = [];
    for (let i = 0; i < NEW_CELLS; i++) fresh.push((await timed(kernel, f.one(i + 2)))[1]);
    const flood = await measureFlood(kernel, f.flood);
    const interrupts: number[] = [];
    for (let i = 0; i < INTERRUPTS; i++) interrupts.push(await measureInterrupt(kernel, f));
    return {
      coldStart, firstResult,
      reply: { p50: pct(reply, 50), p95: pct(reply, 95) },
      idle: { p50: pct(idle, 50), p95: pct(idle, 95) },
      newCell: pct(fresh, 50),
      flood,
      interrupt: pct(interrupts, 50),
    };
  } finally {
    await kernel.shutdown(10).catch(() => kernel.kill());
  }
}

/** [ms to execute_reply, ms to idle] of one execute. */
async function timed(kernel: RunningKernel, code: string): Promise<[number, number]> {
  const t = performance.now();
  let replyAt = NaN;
  const off = kernel.client.onMessage((channel, m) => {
    if (channel === "shell" && m.header.msg_type === "execute_reply") replyAt = performance.now();
  });
  try {
    await kernel.client.execute(code, { timeout: 60 });
  } finally {
    off();
  }
  return [replyAt - t, performance.now() - t];
}

async function measureFlood(kernel: RunningKernel, code: string) {
  const t = performance.now();
  const r = await kernel.client.execute(code, { timeout: 120 });
  const wall = performance.now() - t;
  const streams = r.outputs.filter((m) => m.header.msg_type === "stream" && (m.content as { name?: string }).name === "stdout");
  const lines = streams.map((m) => (m.content as { text: string }).text).join("").split("\n").slice(0, -1);
  return { wall, messages: streams.length, lines: lines.length, inOrder: lines.length === 100_000 && lines.every((l, i) => l === String(i)) };
}

async function measureInterrupt(kernel: RunningKernel, f: Flavour): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), "spindle-bench-"));
  const marker = join(dir, "running");
  try {
    let replyAt = NaN;
    const off = kernel.client.onMessage((channel, m) => {
      if (channel === "shell" && m.header.msg_type === "execute_reply") replyAt = performance.now();
    });
    const done = kernel.client.execute(f.spin(marker), { timeout: 60 });
    const deadline = Date.now() + 30_000;
    while (!existsSync(marker) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 2));
    await new Promise((r) => setTimeout(r, 50));
    const t = performance.now();
    await kernel.client.interrupt();
    const r = await done;
    off();
    if (r.status !== "error" || r.timedOut) throw new Error(`${f.name}: the interrupt did not stop the loop`);
    return replyAt - t;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function pct(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

function ms(value: number): string {
  return Number.isNaN(value) ? "–" : value >= 1000 ? `${(value / 1000).toFixed(2)} s` : `${value.toFixed(1)} ms`;
}

if (require.main === module) {
  run().catch((err) => {
    console.error(err);
    process.exitCode = 1;
  });
}
