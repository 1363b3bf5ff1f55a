/**
 * The cost of Spindle's instruments: timeline recording on lock-heavy loops
 * (target ≤ 10% slowdown while recording) and progress bars on Pool.map of
 * 10,000 tiny tasks (target ≤ 5%), with Python's figures for the same loops
 * beside them for scale. Off and on runs alternate; medians are reported.
 * Run: npm run build && node -e 'require("./dist/bench/timing").run()'
 */
import { spawnSync } from "node:child_process";
import * as os from "node:os";
import { Lock, Thread } from "../src/concurrency/threading";
import { Pool } from "../src/concurrency/multiprocessing";
import { CellContext, runInCell, type OutputSink } from "../src/runtime/cell-context";
import { setProgressEnabled } from "../src/display/progress";
import { isRecording, PER_THREAD_LIMIT, recordEvent } from "../src/recorder/record";
import { timeline } from "../src/timing/timeline";
import { median } from "../src/timing/compare";

const LOOP = 1_000_000;
const CONTENDED = 100_000;
const TASKS = 10_000;
const REPEAT = 7;

const PYTHON = String.raw`
import json, statistics, threading, time
from multiprocessing import Pool
LOOP, CONTENDED, TASKS, REPEAT = ${LOOP}, ${CONTENDED}, ${TASKS}, ${REPEAT}
def loop():
    lock = threading.Lock()
    t = time.perf_counter()
    for _ in range(LOOP):
        lock.acquire(); lock.release()
    return (time.perf_counter() - t) * 1000
def contended():
    lock = threading.Lock()
    def work():
        for _ in range(CONTENDED):
            with lock: pass
    ts = [threading.Thread(target=work) for _ in range(2)]
    t = time.perf_counter()
    for x in ts: x.start()
    for x in ts: x.join()
    return (time.perf_counter() - t) * 1000
def tiny(x):
    return x + 1
if __name__ == "__main__":
    with Pool(2) as pool:
        pool.map(tiny, range(100))
        def mapped():
            t = time.perf_counter(); pool.map(tiny, range(TASKS)); return (time.perf_counter() - t) * 1000
        m = statistics.median([mapped() for _ in range(REPEAT)])
    print(json.dumps({"loopMs": statistics.median([loop() for _ in range(REPEAT)]),
                      "contendedMs": statistics.median([contended() for _ in range(REPEAT)]),
                      "poolMs": m}))
`;

/** A sink that only counts what a cell would send, standing in for the kernel. */
class CountingSink implements OutputSink {
  displays = 0;
  stream(): void {}
  display(): void {
    this.displays++;
  }
  clearOutput(): void {}
  input(): Promise<string> {
    return Promise.reject(new Error("no input in benchmarks"));
  }
}

async function lockLoop(lock: Lock): Promise<number> {
  const t = performance.now();
  for (let i = 0; i < LOOP; i++) {
    lock.acquireSync(false);
    lock.release();
  }
  return performance.now() - t;
}

async function contended(lock: Lock): Promise<number> {
  const work = (l: Lock, n: number): void => {
    for (let i = 0; i < n; i++) {
      l.acquireSync();
      l.release();
    }
  };
  const threads = [0, 1].map(() => new Thread({ target: work, args: [lock, CONTENDED] }));
  const t = performance.now();
  for (const th of threads) th.start();
  for (const th of threads) await th.join();
  return performance.now() - t;
}

/** Runs `fn` with recording off and on, alternating; returns the two medians (ms). */
async function offOn(fn: () => Promise<number>): Promise<{ off: number; on: number }> {
  const off: number[] = [];
  const on: number[] = [];
  await fn(); // warm-up
  for (let i = 0; i < REPEAT; i++) {
    off.push(await fn());
    let ms = 0;
    await timeline(async () => {
      ms = await fn();
    });
    on.push(ms);
  }
  return { off: median(off), on: median(on) };
}

/** ns per recorder call when off, when storing, and past the per-thread limit. */
async function recorderCallCost(): Promise<{ off: number; storing: number; counting: number }> {
  const n = 200_000;
  const time = (): number => {
    const t = performance.now();
    for (let i = 0; i < n; i++) recordEvent("mark", "x");
    return ((performance.now() - t) * 1e6) / n;
  };
  const off = time();
  let storing = 0;
  let counting = 0;
  await timeline(() => {
    if (!isRecording()) throw new Error("recording did not start");
    const t = performance.now();
    for (let i = 0; i < PER_THREAD_LIMIT; i++) recordEvent("mark", "x");
    storing = ((performance.now() - t) * 1e6) / PER_THREAD_LIMIT;
    counting = time();
  });
  return { off, storing, counting };
}

async function poolMap(): Promise<{ off: number; on: number; messages: number }> {
  const pool = new Pool(2);
  const tiny = (x: number): number => x + 1;
  const items = Array.from({ length: TASKS }, (_, i) => i);
  try {
    await pool.map(tiny, items.slice(0, 100));
    const sink = new CountingSink();
    const cell = new CellContext("bench", 1, sink);
    // "on" shows the bar from the first item (no delay): the worst case, every update throttled.
    const once = async (progress: boolean): Promise<number> => {
      setProgressEnabled(progress, { delay: 0 });
      const t = performance.now();
      await runInCell(cell, () => pool.map(tiny, items));
      return performance.now() - t;
    };
    const off: number[] = [];
    const on: number[] = [];
    let messages = 0;
    for (let i = 0; i < REPEAT; i++) {
      off.push(await once(false));
      const before = sink.displays;
      on.push(await once(true));
      messages = sink.displays - before;
    }
    return { off: median(off), on: median(on), messages };
  } finally {
    setProgressEnabled(true, { delay: 0.5 });
    await pool.close();
    await pool.join();
  }
}

function measurePython(): { loopMs: number; contendedMs: number; poolMs: number } | string {
  const r = spawnSync("/usr/bin/python3", ["-c", PYTHON], { encoding: "utf8", timeout: 300_000 });
  if (r.status !== 0) return `python failed: ${r.error?.message ?? r.stderr.trim()}`;
  return JSON.parse(r.stdout.trim().split("\n").pop() as string) as {
    loopMs: number;
    contendedMs: number;
    poolMs: number;
  };
}

function fmt(n: number, digits = 1): string {
  return n.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits });
}

function pct(off: number, on: number): string {
  const p = ((on - off) / off) * 100;
  return `${p >= 0 ? "+" : ""}${fmt(p, 1)}%`;
}

/** Runs the timing-instrument benchmarks and prints one table. */
export async function run(): Promise<void> {
  const load = os.loadavg()[0] ?? 0;
  const lock = new Lock();
  const single = await offOn(() => lockLoop(lock));
  const both = await offOn(() => contended(lock));
  const calls = await recorderCallCost();
  const pool = await poolMap();
  const py = measurePython();
  const p = typeof py === "string" ? undefined : py;
  const lines = [
    `## timing — cost of timeline recording and progress bars; median of ${REPEAT}, off/on alternating; ${os.cpus().length} cores, load ${fmt(load, 2)}`,
    "",
    "| benchmark | off (ms) | on (ms) | overhead | target | Python (ms) |",
    "|---|---:|---:|---:|---:|---:|",
    `| Lock acquire+release ×${LOOP.toLocaleString("en-US")}, one thread, timeline recording | ${fmt(single.off)} | ${fmt(single.on)} | ${pct(single.off, single.on)} | ≤ 10% | ${p ? fmt(p.loopMs) : "–"} |`,
    `| Lock ×${CONTENDED.toLocaleString("en-US")} in each of 2 contending threads, timeline recording | ${fmt(both.off)} | ${fmt(both.on)} | ${pct(both.off, both.on)} | ≤ 10% | ${p ? fmt(p.contendedMs) : "–"} |`,
    `| Pool(2).map of ${TASKS.toLocaleString("en-US")} tiny tasks, progress bar (${pool.messages} display messages) | ${fmt(pool.off)} | ${fmt(pool.on)} | ${pct(pool.off, pool.on)} | ≤ 5% | ${p ? fmt(p.poolMs) : "–"} |`,
    "",
    `Recorder call: ${fmt(calls.off, 1)} ns when off, ${fmt(calls.storing, 0)} ns while storing, ${fmt(calls.counting, 1)} ns past the per-thread limit (${PER_THREAD_LIMIT.toLocaleString("en-US")} events).`,
  ];
  if (typeof py === "string") lines.push("", py);
  process.stdout.write(`${lines.join("\n")}\n`);
}

if (require.main === module) {
  run().then(
    () => process.exit(process.exitCode ?? 0),
    (err) => {
      console.error(err);
      process.exit(1);
    },
  );
}
