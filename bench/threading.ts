/**
 * spindle/threading and spindle/queue against Python's threading and queue (/usr/bin/python3) on this
 * machine, in one run: Thread.start() → target running (warm, on a fresh worker, and the first start of
 * a fresh process), uncontended and 2-thread contended Lock acquire/release rates, Queue put/get of
 * small objects between two threads, the speedup of 2 threads over 1 on CPU-bound work, and the first
 * Thread.start() in a fresh kernel (Spindle's against ipykernel: one cell imports, a second later the
 * next cell starts a thread; Spindle warms a worker in that idle second).
 *
 * Both sides run the same workload and time the same window: the lock and queue loops run in threads
 * that are started first and report ready; the clock starts when the main thread sets `go` and stops at
 * the last thread's end stamp (thread start and join are outside the window on both sides). Both sides
 * are warmed up; rounds alternate Spindle, Python, Spindle, …; each figure is the median and min–max
 * over the rounds. The CPU-bound work is sized per language (the same loop, about 0.1–0.3 s per thread
 * on each side), since a speedup compares each side with itself.
 * Run: npm run bench threading
 */
import { spawnSync } from "node:child_process";
import * as os from "node:os";
import { type RunningKernel, startKernel } from "../src/client";
import { Event, Lock, sharedArray, Thread } from "../src/concurrency/threading";
import { Queue } from "../src/concurrency/queue";
import { median, type Spread, showSpread, spread } from "./stats";

const ROUNDS = Number(process.env.SPINDLE_BENCH_ROUNDS ?? 5);
const WARM_STARTS = 200;
const START_WARM_UP = 20;
const COLD_ROUNDS = 2;
const LOCK_OPS = 1_000_000;
const MAIN_LOCK_OPS = 500_000;
const CONTENDED_OPS = 200_000;
const QUEUE_ITEMS = 100_000;
const QUEUE_SIZE = 1000;
const BURN_JS = 3e7;
const BURN_PY = 1e6;

/** Wall-clock milliseconds comparable across threads. */
function wallMs(): number {
  return performance.timeOrigin + performance.now();
}

/** Thread: records when it started running. */
export function markRunning(stamps: Float64Array, slot: number): void {
  stamps[slot] = performance.timeOrigin + performance.now();
}

/** Thread: records when it started running, then waits for `go`. */
export function markThenWait(stamps: Float64Array, slot: number, go: Event): void {
  stamps[slot] = performance.timeOrigin + performance.now();
  go.waitSync();
}

/** Thread: reports ready, waits for `go`, does `n` acquire/release pairs, stamps its end (wall ms) into `ends[slot]`. */
export function lockLoop(
  lock: Lock,
  n: number,
  go: Event,
  ready: Float64Array,
  ends: Float64Array,
  slot: number,
): void {
  ready[slot] = 1;
  go.waitSync();
  for (let i = 0; i < n; i++) {
    lock.acquireSync();
    lock.release();
  }
  ends[slot] = performance.timeOrigin + performance.now();
}

/** Thread: reports ready, waits for `go`, puts `n` small objects, stamps its end. */
export function produce(
  q: Queue<{ i: number; name: string }>,
  n: number,
  go: Event,
  ready: Float64Array,
  ends: Float64Array,
): void {
  ready[0] = 1;
  go.waitSync();
  for (let i = 0; i < n; i++) q.putSync({ i, name: "item" });
  ends[0] = performance.timeOrigin + performance.now();
}

/** Thread: reports ready, waits for `go`, gets `n` objects, stamps its end. */
export function consume(
  q: Queue<{ i: number; name: string }>,
  n: number,
  go: Event,
  ready: Float64Array,
  ends: Float64Array,
): void {
  ready[1] = 1;
  go.waitSync();
  for (let i = 0; i < n; i++) q.getSync();
  ends[1] = performance.timeOrigin + performance.now();
}

/** Thread: CPU-bound work. */
export function burn(n: number): number {
  let x = 0;
  for (let i = 0; i < n; i++) x = (x + Math.sqrt(i) * 1.0000001) % 1e9;
  return x;
}

/** In a fresh process: ms from the process's first Thread.start() to its target running. */
export async function firstStartProbe(): Promise<number> {
  const stamps = sharedArray("float64", 1);
  const t = new Thread({ target: markRunning, args: [stamps, 0] });
  const t0 = wallMs();
  t.start();
  await t.join();
  return stamps[0]! - t0;
}

async function until(done: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`benchmark threads never became ${what}`);
    await new Promise((r) => setTimeout(r, 1));
  }
}

/** Starts `threads` (each reports ready in `ready`), sets `go` once all are ready, returns ms from go to the last end stamp. */
async function goWindow(threads: Thread[], go: Event, ready: Float64Array, ends: Float64Array): Promise<number> {
  for (const t of threads) t.start();
  await until(() => threads.every((_, i) => ready[i] === 1), "ready");
  const t0 = wallMs();
  go.set();
  for (const t of threads) await t.join();
  return Math.max(...threads.map((_, i) => ends[i]!)) - t0;
}

interface Figures {
  first: number;
  kernelFirst?: number;
  warm: number;
  fresh?: number;
  lock: number;
  mainLock?: number;
  contended: number;
  queue: number;
  speedup: number;
}

function firstStartInFreshProcess(): number {
  const code = `require(${JSON.stringify(__filename)}).firstStartProbe().then((ms) => process.stdout.write(String(ms)))`;
  const r = spawnSync(process.execPath, ["-e", code], { encoding: "utf8", timeout: 60_000 });
  return r.status === 0 ? Number(r.stdout) : NaN;
}

async function startLatencies(): Promise<{ warm: number; fresh: number }> {
  const stamps = sharedArray("float64", 16);
  const one = async (): Promise<number> => {
    const t = new Thread({ target: markRunning, args: [stamps, 0] });
    const t0 = wallMs();
    t.start();
    await t.join();
    return stamps[0]! - t0;
  };
  for (let i = 0; i < START_WARM_UP; i++) await one();
  const warm: number[] = [];
  for (let i = 0; i < WARM_STARTS; i++) warm.push(await one());
  // Fresh workers: start six threads that stay busy, so all but the warm spares start on new workers.
  const fresh: number[] = [];
  for (let round = 0; round < COLD_ROUNDS; round++) {
    stamps.fill(0);
    const go = new Event();
    const batch = Array.from({ length: 6 }, (_, i) => new Thread({ target: markThenWait, args: [stamps, i, go] }));
    const begun: number[] = [];
    for (const t of batch) {
      begun.push(wallMs());
      t.start();
    }
    await until(() => [...stamps.slice(0, 6)].every((s, i) => s >= begun[i]!), "running");
    fresh.push(...begun.slice(4).map((b, i) => stamps[i + 4]! - b));
    go.set();
    for (const t of batch) await t.join();
    await new Promise((r) => setTimeout(r, 200)); // let the pool refill its spares
  }
  return { warm: median(warm), fresh: median(fresh) };
}

async function uncontendedLock(): Promise<number> {
  const ready = sharedArray("float64", 1);
  const ends = sharedArray("float64", 1);
  const go = new Event();
  const ms = await goWindow(
    [new Thread({ target: lockLoop, args: [new Lock(), LOCK_OPS, go, ready, ends, 0] })],
    go,
    ready,
    ends,
  );
  return LOCK_OPS / (ms / 1000);
}

async function mainThreadLock(): Promise<number> {
  const lock = new Lock();
  const t0 = performance.now();
  for (let i = 0; i < MAIN_LOCK_OPS; i++) {
    await lock.acquire();
    lock.release();
  }
  return MAIN_LOCK_OPS / ((performance.now() - t0) / 1000);
}

async function contendedLock(): Promise<number> {
  const ready = sharedArray("float64", 2);
  const ends = sharedArray("float64", 2);
  const go = new Event();
  const shared = new Lock();
  const pair = [0, 1].map(
    (slot) => new Thread({ target: lockLoop, args: [shared, CONTENDED_OPS, go, ready, ends, slot] }),
  );
  return (2 * CONTENDED_OPS) / ((await goWindow(pair, go, ready, ends)) / 1000);
}

async function queueRate(): Promise<number> {
  const q = new Queue<{ i: number; name: string }>(QUEUE_SIZE);
  const ready = sharedArray("float64", 2);
  const ends = sharedArray("float64", 2);
  const go = new Event();
  const threads = [
    new Thread({ target: produce, args: [q, QUEUE_ITEMS, go, ready, ends] }),
    new Thread({ target: consume, args: [q, QUEUE_ITEMS, go, ready, ends] }),
  ];
  return QUEUE_ITEMS / ((await goWindow(threads, go, ready, ends)) / 1000);
}

async function burnTime(threads: number): Promise<number> {
  const t0 = performance.now();
  const ts = Array.from({ length: threads }, () => new Thread({ target: burn, args: [BURN_JS] }));
  for (const t of ts) t.start();
  for (const t of ts) await t.join();
  return performance.now() - t0;
}

/** 2 jobs on 2 threads against 1 job on 1 thread, each the better of two tries, alternating. */
async function cpuSpeedup(): Promise<number> {
  const ones: number[] = [];
  const twos: number[] = [];
  for (let i = 0; i < 2; i++) {
    ones.push(await burnTime(1));
    twos.push(await burnTime(2));
  }
  return (2 * Math.min(...ones)) / Math.min(...twos);
}

async function spindleRound(): Promise<Figures> {
  const first = firstStartInFreshProcess();
  const starts = await startLatencies();
  return {
    first,
    warm: starts.warm,
    fresh: starts.fresh,
    lock: await uncontendedLock(),
    mainLock: await mainThreadLock(),
    contended: await contendedLock(),
    queue: await queueRate(),
    speedup: await cpuSpeedup(),
  };
}

async function warmSpindle(): Promise<void> {
  await startLatencies();
  await uncontendedLock();
  await mainThreadLock();
  await contendedLock();
  await queueRate();
  await burnTime(2);
}

const PYTHON = String.raw`
import json, queue, statistics, sys, threading, time
WARM_STARTS, START_WARM_UP, LOCK_OPS, CONTENDED_OPS, QUEUE_ITEMS, QUEUE_SIZE, BURN = (int(float(a)) for a in sys.argv[1:8])
def start_once():
    stamp = []
    t = threading.Thread(target=lambda: stamp.append(time.perf_counter()))
    t0 = time.perf_counter(); t.start(); t.join()
    return (stamp[0] - t0) * 1000
def go_window(targets):
    # Threads start, report ready, wait for go; the window is go -> the last end stamp (as on Spindle's side).
    go = threading.Event(); ready = [False] * len(targets); ends = [0.0] * len(targets)
    def wrap(i, f):
        ready[i] = True; go.wait(); f(); ends[i] = time.perf_counter()
    ts = [threading.Thread(target=wrap, args=(i, f)) for i, f in enumerate(targets)]
    for t in ts: t.start()
    while not all(ready): time.sleep(0.001)
    t0 = time.perf_counter(); go.set()
    for t in ts: t.join()
    return max(ends) - t0
def lock_rate(n):
    l = threading.Lock()
    def loop():
        for _ in range(n):
            l.acquire(); l.release()
    return n / go_window([loop])
def contended(n):
    l = threading.Lock()
    def loop():
        for _ in range(n):
            l.acquire(); l.release()
    return 2 * n / go_window([loop, loop])
def queue_rate(n):
    q = queue.Queue(QUEUE_SIZE)
    def produce():
        for i in range(n): q.put({"i": i, "name": "item"})
    def consume():
        for _ in range(n): q.get()
    return n / go_window([produce, consume])
def burn(n):
    x = 0.0
    for i in range(n): x = (x + (i ** 0.5) * 1.0000001) % 1e9
    return x
def burn_time(n, k):
    ts = [threading.Thread(target=burn, args=(n,)) for _ in range(k)]
    t0 = time.perf_counter()
    for t in ts: t.start()
    for t in ts: t.join()
    return time.perf_counter() - t0
def speedup(n):
    ones, twos = [], []
    for _ in range(2):
        ones.append(burn_time(n, 1)); twos.append(burn_time(n, 2))
    return 2 * min(ones) / min(twos)
first = start_once()
# Warm-up: every measured path once.
for _ in range(START_WARM_UP): start_once()
lock_rate(LOCK_OPS // 10); contended(CONTENDED_OPS // 10); queue_rate(QUEUE_ITEMS // 10); burn_time(BURN // 10, 2)
print(json.dumps({
  "first": first, "warm": statistics.median(start_once() for _ in range(WARM_STARTS)),
  "lock": lock_rate(LOCK_OPS), "contended": contended(CONTENDED_OPS), "queue": queue_rate(QUEUE_ITEMS),
  "speedup": speedup(BURN),
}))
`;

const KERNEL_PROBES = {
  spindle: {
    argv: undefined,
    imports: 'import { Thread, sharedArray } from "spindle/threading";',
    probe:
      'const stamps = sharedArray("float64", 1);\n' +
      "const t = new Thread({ target: (s: Float64Array) => { s[0] = performance.timeOrigin + performance.now(); }, args: [stamps] });\n" +
      "const t0 = performance.timeOrigin + performance.now();\nt.start();\nawait t.join();\nstamps[0]! - t0",
  },
  python: {
    argv: ["/usr/bin/python3", "-m", "ipykernel_launcher", "-f", "{connection_file}"],
    imports: "import threading, time",
    probe:
      "s = [0.0]\ndef mark(): s[0] = time.perf_counter()\n" +
      "t = threading.Thread(target=mark)\nt0 = time.perf_counter()\nt.start(); t.join()\n(s[0] - t0) * 1000",
  },
} as const;

/** ms from the first Thread.start() in a fresh kernel to its target running: a cell imports, 1 s idle, a cell starts one. */
async function firstStartInFreshKernel(side: keyof typeof KERNEL_PROBES): Promise<number> {
  const probe = KERNEL_PROBES[side];
  let kernel: RunningKernel | undefined;
  try {
    kernel = await startKernel({
      ...(probe.argv ? { argv: [...probe.argv] } : {}),
      stderr: "ignore",
      startupTimeout: 60,
    });
    await kernel.client.execute(probe.imports, { timeout: 60 });
    await new Promise((r) => setTimeout(r, 1000));
    const r = await kernel.client.execute(probe.probe, { timeout: 60 });
    const result = r.outputs.find((m) => m.header.msg_type === "execute_result");
    const text = (result?.content as { data?: Record<string, string> } | undefined)?.data?.["text/plain"];
    return Number(text);
  } catch {
    return NaN;
  } finally {
    await kernel?.shutdown();
  }
}

function pythonRound(): Figures | string {
  const args = [WARM_STARTS, START_WARM_UP, LOCK_OPS, CONTENDED_OPS, QUEUE_ITEMS, QUEUE_SIZE, BURN_PY].map(String);
  const r = spawnSync("/usr/bin/python3", ["-c", PYTHON, ...args], { encoding: "utf8", timeout: 600_000 });
  if (r.status !== 0) return `python3 failed: ${r.error?.message ?? r.stderr.trim()}`;
  return JSON.parse(r.stdout) as Figures;
}

function fmt(n: number): string {
  if (n >= 1e6) return `${(n / 1e6).toFixed(2)} M`;
  if (n >= 1e3) return `${(n / 1e3).toFixed(1)} k`;
  return n >= 10 ? n.toFixed(1) : n.toFixed(3);
}

/** Runs the benchmark and prints a Markdown table (Spindle, Python, ratio of medians, target). */
export async function run(): Promise<void> {
  const loadBefore = os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(" ");
  await warmSpindle();
  const ours: Figures[] = [];
  const theirs: Figures[] = [];
  let pythonError: string | undefined;
  for (let r = 0; r < ROUNDS; r++) {
    ours.push({ ...(await spindleRound()), kernelFirst: await firstStartInFreshKernel("spindle") });
    const py = pythonRound();
    if (typeof py === "string") pythonError = py;
    else theirs.push({ ...py, kernelFirst: await firstStartInFreshKernel("python") });
  }
  const s = (xs: Figures[], f: (x: Figures) => number | undefined): Spread => spread(xs.map((x) => f(x) ?? NaN));
  type Row = {
    what: string;
    unit: string;
    key: (x: Figures) => number | undefined;
    peer?: (x: Figures) => number;
    better: "lower" | "higher";
    target: string;
  };
  const rows: Row[] = [
    {
      what: "Thread.start() → target running, p50 warm",
      unit: "ms",
      key: (x) => x.warm,
      better: "lower",
      target: "≤ 0.25 ms",
    },
    {
      what: "Thread.start() → running on a fresh worker, p50",
      unit: "ms",
      key: (x) => x.fresh,
      peer: (x) => x.warm,
      better: "lower",
      target: "(cold: worker boot)",
    },
    {
      what: "first Thread.start() of a fresh process",
      unit: "ms",
      key: (x) => x.first,
      better: "lower",
      target: "≤ 5 ms",
    },
    {
      what: "first Thread.start() in a fresh kernel (cell after the import, 1 s idle)",
      unit: "ms",
      key: (x) => x.kernelFirst,
      better: "lower",
      target: "≤ 5 ms",
    },
    {
      what: `Lock acquire/release, uncontended, in a thread (${fmt(LOCK_OPS)})`,
      unit: "/s",
      key: (x) => x.lock,
      better: "higher",
      target: "≥ 4× Python",
    },
    {
      what: "Lock await acquire()/release() on the main thread",
      unit: "/s",
      key: (x) => x.mainLock,
      peer: (x) => x.lock,
      better: "higher",
      target: "(awaited form)",
    },
    {
      what: `Lock, 2 threads contending (${fmt(CONTENDED_OPS)} each, total rate)`,
      unit: "/s",
      key: (x) => x.contended,
      better: "higher",
      target: "≥ 4× Python",
    },
    {
      what: `Queue(${QUEUE_SIZE}) put/get, producer and consumer threads (${fmt(QUEUE_ITEMS)})`,
      unit: "items/s",
      key: (x) => x.queue,
      better: "higher",
      target: "≥ 1.5× Python",
    },
    {
      what: "CPU-bound: speedup of 2 threads over 1",
      unit: "×",
      key: (x) => x.speedup,
      better: "higher",
      target: "≥ 1.8× (Python ~1×)",
    },
  ];
  const loadAfter = os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(" ");
  console.log(
    `spindle/threading vs Python threading/queue — ${os.cpus().length} CPUs, load ${loadBefore} at start, ${loadAfter} at end; ` +
      `both warmed, ${ROUNDS} alternating rounds, median (min–max); lock/queue windows: go → last thread done, start and join excluded on both sides`,
  );
  console.log("| measure | Spindle | Python | Spindle vs Python (medians) | target |");
  console.log("|---|---:|---:|---:|---|");
  for (const r of rows) {
    const a = s(ours, r.key);
    const b = s(theirs, r.peer ?? r.key);
    const ratio =
      b.runs > 0 && a.runs > 0 ? (r.better === "higher" ? a.median / b.median : b.median / a.median) : undefined;
    const ratioText =
      ratio === undefined ? "–" : `${ratio.toFixed(2)}×${r.better === "higher" ? "" : " (faster if > 1)"}`;
    const show = (x: Spread): string => (x.runs > 0 ? `${showSpread(x, fmt)} ${r.unit}` : "–");
    console.log(`| ${r.what} | ${show(a)} | ${show(b)} | ${ratioText} | ${r.target} |`);
  }
  if (pythonError) console.log(`\n${pythonError}`);
}
