/**
 * spindle/asyncio against Python's asyncio (/usr/bin/python3) on this machine:
 * 10,000 concurrent sleep(0.01) tasks via gather (wall time), the cost of one
 * task (create, run, finish), and an async queue's throughput.
 * Run: npm run build && node -e 'require("./dist/bench/asyncio").run()'
 */
import { spawnSync } from "node:child_process";
import * as os from "node:os";
import { gather, sleep, createTask, Queue, type Task } from "../src/concurrency/asyncio";
import { setTimeScale } from "../src/concurrency/time/scale";

const SLEEPERS = 10_000;
const TASKS = 100_000;
const ITEMS = 200_000;
const QUEUE_SIZE = 100;
const REPEAT = 5;

interface Figures {
  /** Median wall time of 10,000 concurrent sleep(0.01) tasks, ms. */
  gatherMs: number;
  /** Median cost of one trivial task (create + run + finish), µs. */
  taskUs: number;
  /** Median queue throughput, items/s (one producer, one consumer, maxsize 100). */
  queuePerS: number;
}

const PYTHON = String.raw`
import asyncio, json, statistics, time
SLEEPERS, TASKS, ITEMS, QSIZE, REPEAT = ${SLEEPERS}, ${TASKS}, ${ITEMS}, ${QUEUE_SIZE}, ${REPEAT}
async def sleepers():
    t = time.perf_counter()
    await asyncio.gather(*(asyncio.sleep(0.01) for _ in range(SLEEPERS)))
    return (time.perf_counter() - t) * 1000
async def noop():
    return None
async def tasks():
    t = time.perf_counter()
    ts = [asyncio.create_task(noop()) for _ in range(TASKS)]
    for x in ts:
        await x
    return (time.perf_counter() - t) / TASKS * 1e6
async def queue():
    q = asyncio.Queue(QSIZE)
    async def producer():
        for i in range(ITEMS):
            await q.put(i)
    async def consumer():
        for _ in range(ITEMS):
            await q.get()
    t = time.perf_counter()
    await asyncio.gather(producer(), consumer())
    return ITEMS / (time.perf_counter() - t)
async def main():
    g = statistics.median([await sleepers() for _ in range(REPEAT)])
    k = statistics.median([await tasks() for _ in range(REPEAT)])
    q = statistics.median([await queue() for _ in range(REPEAT)])
    print(json.dumps({"gatherMs": g, "taskUs": k, "queuePerS": q}))
asyncio.run(main())
`;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

async function sleepers(): Promise<number> {
  const t = performance.now();
  await gather(...Array.from({ length: SLEEPERS }, () => () => sleep(0.01)));
  return performance.now() - t;
}

async function tasks(): Promise<number> {
  const t = performance.now();
  const ts: Task<void>[] = [];
  for (let i = 0; i < TASKS; i++) ts.push(createTask(async () => undefined));
  for (const x of ts) await x;
  return ((performance.now() - t) / TASKS) * 1000;
}

async function queue(): Promise<number> {
  const q = new Queue<number>(QUEUE_SIZE);
  const producer = async (): Promise<void> => { for (let i = 0; i < ITEMS; i++) await q.put(i); };
  const consumer = async (): Promise<void> => { for (let i = 0; i < ITEMS; i++) await q.get(); };
  const t = performance.now();
  await gather(producer, consumer);
  return ITEMS / ((performance.now() - t) / 1000);
}

async function measureSpindle(): Promise<Figures> {
  setTimeScale(1);
  await sleepers(); // warm-up: JIT and timer lists
  const g: number[] = [];
  for (let i = 0; i < REPEAT; i++) g.push(await sleepers());
  const k: number[] = [];
  for (let i = 0; i < REPEAT; i++) k.push(await tasks());
  const q: number[] = [];
  for (let i = 0; i < REPEAT; i++) q.push(await queue());
  return { gatherMs: median(g), taskUs: median(k), queuePerS: median(q) };
}

function measurePython(): Figures | string {
  const r = spawnSync("/usr/bin/python3", ["-c", PYTHON], { encoding: "utf8", timeout: 300_000 });
  if (r.status !== 0) return `python failed: ${r.error?.message ?? r.stderr.trim()}`;
  return JSON.parse(r.stdout.trim().split("\n").pop() as string) as Figures;
}

function fmt(n: number, digits: number): string {
  return n.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits });
}

/** Runs the asyncio benchmarks and prints one table, Spindle beside Python. */
export async function run(): Promise<void> {
  const [load = 0] = os.loadavg();
  const spindle = await measureSpindle();
  const python = measurePython();
  const rows: Array<[string, number, number | undefined, "lower" | "higher", number]> = [
    [`${SLEEPERS.toLocaleString("en-US")} concurrent sleep(0.01) via gather, wall ms`, spindle.gatherMs, typeof python === "string" ? undefined : python.gatherMs, "lower", 1],
    ["one task: create + run + finish, µs", spindle.taskUs, typeof python === "string" ? undefined : python.taskUs, "lower", 2],
    [`queue put/get (maxsize ${QUEUE_SIZE}), items/s`, spindle.queuePerS, typeof python === "string" ? undefined : python.queuePerS, "higher", 0],
  ];
  const lines = [
    `## asyncio — Spindle (Node ${process.version}) vs Python asyncio (/usr/bin/python3); median of ${REPEAT}; ${os.cpus().length} cores, load ${fmt(load, 2)}`,
    "",
    "| benchmark | Spindle | Python | Spindle advantage |",
    "|---|---:|---:|---:|",
    ...rows.map(([name, s, p, better, d]) => {
      const adv = p === undefined ? "–" : `${fmt(better === "lower" ? p / s : s / p, 2)}×`;
      return `| ${name} | ${fmt(s, d)} | ${p === undefined ? "–" : fmt(p, d)} | ${adv} |`;
    }),
  ];
  if (typeof python === "string") lines.push("", python);
  process.stdout.write(`${lines.join("\n")}\n`);
}

if (require.main === module) {
  run().catch((err) => { console.error(err); process.exitCode = 1; });
}
