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
import { type Spread, showSpread, spread } from "./stats";

const SLEEPERS = 10_000;
const TASKS = 100_000;
const ITEMS = 200_000;
const QUEUE_SIZE = 100;
const ROUNDS = Number(process.env.SPINDLE_BENCH_ROUNDS ?? 5);

interface Figures {
  /** Wall time of 10,000 concurrent sleep(0.01) tasks, ms. */
  gatherMs: number;
  /** Cost of one trivial task (create + run + finish), µs. */
  taskUs: number;
  /** Queue throughput, items/s (one producer, one consumer, maxsize 100). */
  queuePerS: number;
}

const PYTHON = String.raw`
import asyncio, json, time
SLEEPERS, TASKS, ITEMS, QSIZE = ${SLEEPERS}, ${TASKS}, ${ITEMS}, ${QUEUE_SIZE}
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
    # Warm-up: every measured path once, as on Spindle's side.
    await sleepers(); await tasks(); await queue()
    print(json.dumps({"gatherMs": await sleepers(), "taskUs": await tasks(), "queuePerS": await queue()}))
asyncio.run(main())
`;

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
  const producer = async (): Promise<void> => {
    for (let i = 0; i < ITEMS; i++) await q.put(i);
  };
  const consumer = async (): Promise<void> => {
    for (let i = 0; i < ITEMS; i++) await q.get();
  };
  const t = performance.now();
  await gather(producer, consumer);
  return ITEMS / ((performance.now() - t) / 1000);
}

async function warmSpindle(): Promise<void> {
  setTimeScale(1);
  await sleepers();
  await tasks();
  await queue();
}

async function spindleRound(): Promise<Figures> {
  return { gatherMs: await sleepers(), taskUs: await tasks(), queuePerS: await queue() };
}

/** One round of Python's side in a fresh process, warmed up like Spindle's before it measures. */
function pythonRound(): Figures | string {
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
  await warmSpindle();
  const ours: Figures[] = [];
  const theirs: Figures[] = [];
  let pythonError: string | undefined;
  for (let r = 0; r < ROUNDS; r++) {
    ours.push(await spindleRound());
    const py = pythonRound();
    if (typeof py === "string") pythonError = py;
    else theirs.push(py);
  }
  const [loadAfter = 0] = os.loadavg();
  const rows: Array<[string, keyof Figures, "lower" | "higher", number]> = [
    [`${SLEEPERS.toLocaleString("en-US")} concurrent sleep(0.01) via gather, wall ms`, "gatherMs", "lower", 1],
    ["one task: create + run + finish, µs", "taskUs", "lower", 2],
    [`queue put/get (maxsize ${QUEUE_SIZE}), items/s`, "queuePerS", "higher", 0],
  ];
  const lines = [
    `## asyncio — Spindle (Node ${process.version}) vs Python asyncio (/usr/bin/python3); both warmed, ${ROUNDS} alternating rounds, ` +
      `median (min–max); ${os.cpus().length} cores, load ${fmt(load, 2)} at start, ${fmt(loadAfter, 2)} at end`,
    "",
    "| benchmark | Spindle | Python | Spindle advantage (medians) |",
    "|---|---:|---:|---:|",
    ...rows.map(([name, key, better, d]) => {
      const s: Spread = spread(ours.map((f) => f[key]));
      const p: Spread = spread(theirs.map((f) => f[key]));
      const adv = p.runs === 0 ? "–" : `${fmt(better === "lower" ? p.median / s.median : s.median / p.median, 2)}×`;
      return `| ${name} | ${showSpread(s, (n) => fmt(n, d))} | ${showSpread(p, (n) => fmt(n, d))} | ${adv} |`;
    }),
  ];
  if (pythonError) lines.push("", pythonError);
  process.stdout.write(`${lines.join("\n")}\n`);
}

if (require.main === module) {
  run().catch((err) => {
    console.error(err);
    process.exitCode = 1;
  });
}
