/**
 * spindle/multiprocessing against Python's multiprocessing (/usr/bin/python3,
 * default start method) on this machine, in one run: process start-to-running,
 * Pool(2).map per-task overhead (chunk size 1 and default), applyAsync with a
 * callback (processes and threads), Queue throughput between two processes,
 * cross-process Lock acquire/release rate, Pipe round trip.
 * Run: npm run build && node -e 'require("./dist/bench/multiprocessing").run()'
 */
import { spawnSync } from "node:child_process";
import * as os from "node:os";
import { median, showSpread, spread } from "./stats";
import {
  type BrokerLock,
  Event,
  Lock,
  Manager,
  Pipe,
  Pool,
  Process,
  Queue,
  ThreadPool,
  warmUp,
  type Connection,
} from "../src/concurrency/multiprocessing";

const STARTS = 15;
const COLD_STARTS = 5;
const MAP_TASKS = 10_000;
const APPLY_TASKS = 10_000;
const QUEUE_ITEMS = 20_000;
const LOCK_OPS = 100_000;
const BROKER_LOCK_OPS = 10_000;
const PIPE_TRIPS = 5_000;
/** Pool measures: runs that warm up (a JIT needs more than one; both sides get the same), then runs measured. */
const WARM_RUNS = 5;
const REPEAT = 9;
const ROUNDS = Number(process.env.SPINDLE_BENCH_ROUNDS ?? 5);

/** Wall-clock milliseconds comparable across processes. */
function wallMs(): number {
  return performance.timeOrigin + performance.now();
}

/** Child: reports when it started running. */
export async function markRunning(q: Queue<number>): Promise<void> {
  await q.put(performance.timeOrigin + performance.now());
}

/** The tiny task of the pool benches. */
export function tiny(x: number): number {
  return x;
}

/** Child: `n` uncontended-or-not acquire/release pairs; reports ops/s. */
export async function lockLoop(lock: Lock | BrokerLock, n: number, go: Event, out: Queue<number>): Promise<void> {
  await go.wait();
  const t = performance.now();
  for (let i = 0; i < n; i++) {
    await lock.acquire();
    await lock.release();
  }
  await out.put(n / ((performance.now() - t) / 1000));
}

/** Child: puts `n` items once `go` is set. */
export async function producer(q: Queue<number>, n: number, go: Event): Promise<void> {
  await go.wait();
  for (let i = 0; i < n; i++) await q.put(i);
}

/** Child: gets `n` items, then reports the wall time. */
export async function consumer(q: Queue<number>, n: number, out: Queue<number>): Promise<void> {
  for (let i = 0; i < n; i++) await q.get();
  await out.put(performance.timeOrigin + performance.now());
}

/** Child: echoes `n` messages. */
export async function echo(conn: Connection<number>, n: number): Promise<void> {
  for (let i = 0; i < n; i++) conn.send(await conn.recv());
}

interface Figures {
  startWarmMs: number;
  startColdMs: number;
  mapC1Us: number;
  mapDefaultUs: number;
  applyProcUs: number;
  applyThreadUs: number;
  queuePerS: number;
  lockPerS: number;
  lockContendedPerS: number;
  brokerLockPerS: number;
  pipeRttUs: number;
}

async function startToRunning(n: number, warm: boolean): Promise<number> {
  const q = new Queue<number>();
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    await warmUp(warm ? 2 : 0);
    const t0 = wallMs();
    const p = new Process({ target: markRunning, args: [q] });
    p.start();
    times.push((await q.get(true, 30)) - t0);
    await p.join();
  }
  await warmUp(2);
  return median(times);
}

async function perTask(pool: Pool, chunksize: number | undefined): Promise<number> {
  const xs = Array.from({ length: MAP_TASKS }, (_, i) => i);
  const runs: number[] = [];
  for (let r = 0; r < WARM_RUNS + REPEAT; r++) {
    const t = performance.now();
    await pool.map(tiny, xs, chunksize);
    if (r >= WARM_RUNS) runs.push(((performance.now() - t) * 1000) / MAP_TASKS);
  }
  return median(runs);
}

async function applyWithCallback(pool: Pool): Promise<number> {
  const runs: number[] = [];
  for (let r = 0; r < WARM_RUNS + REPEAT; r++) {
    let left = APPLY_TASKS;
    let done: () => void = () => undefined;
    const all = new Promise<void>((res) => (done = res));
    const t = performance.now();
    for (let i = 0; i < APPLY_TASKS; i++) {
      pool.applyAsync(tiny, [i], { callback: () => void (--left === 0 && done()) });
    }
    await all;
    if (r >= WARM_RUNS) runs.push(((performance.now() - t) * 1000) / APPLY_TASKS);
  }
  return median(runs);
}

async function queueThroughput(): Promise<number> {
  const q = new Queue<number>();
  const out = new Queue<number>();
  const go = new Event();
  const ps = [
    new Process({ target: producer, args: [q, QUEUE_ITEMS, go] }),
    new Process({ target: consumer, args: [q, QUEUE_ITEMS, out] }),
  ];
  for (const p of ps) p.start();
  await new Promise((r) => setTimeout(r, 200));
  const t0 = wallMs();
  await go.set();
  const end = await out.get(true, 120);
  for (const p of ps) await p.join();
  return QUEUE_ITEMS / ((end - t0) / 1000);
}

async function lockRate(lock: Lock | BrokerLock, procs: number, n: number): Promise<number> {
  const go = new Event();
  const out = new Queue<number>();
  const ps = Array.from({ length: procs }, () => new Process({ target: lockLoop, args: [lock, n, go, out] }));
  for (const p of ps) p.start();
  await new Promise((r) => setTimeout(r, 200));
  await go.set();
  let total = 0;
  for (let i = 0; i < procs; i++) total += await out.get(true, 120);
  for (const p of ps) await p.join();
  return total;
}

async function pipeRtt(): Promise<number> {
  const [a, b] = Pipe<number>();
  const p = new Process({ target: echo, args: [b, PIPE_TRIPS + 100] });
  p.start();
  for (let i = 0; i < 100; i++) {
    a.send(i);
    await a.recv();
  }
  const t = performance.now();
  for (let i = 0; i < PIPE_TRIPS; i++) {
    a.send(i);
    await a.recv();
  }
  const us = ((performance.now() - t) * 1000) / PIPE_TRIPS;
  await p.join();
  return us;
}

async function warmSpindle(): Promise<void> {
  await warmUp(2);
  await startToRunning(2, true); // loads the shipping machinery once
}

async function spindleFigures(): Promise<Figures> {
  const startWarmMs = await startToRunning(STARTS, true);
  const startColdMs = await startToRunning(COLD_STARTS, false);
  const pool = new Pool(2);
  const mapC1Us = await perTask(pool, 1);
  const mapDefaultUs = await perTask(pool, undefined);
  const applyProcUs = await applyWithCallback(pool);
  await pool.terminate();
  const tpool = new ThreadPool(2);
  const applyThreadUs = await applyWithCallback(tpool);
  await tpool.terminate();
  const queuePerS = await queueThroughput();
  const lock = new Lock();
  const lockPerS = await lockRate(lock, 1, LOCK_OPS);
  const lockContendedPerS = await lockRate(lock, 2, LOCK_OPS / 2);
  const brokerLockPerS = await Manager.with((mgr) => lockRate(mgr.Lock(), 1, BROKER_LOCK_OPS));
  const pipeRttUs = await pipeRtt();
  return {
    startWarmMs,
    startColdMs,
    mapC1Us,
    mapDefaultUs,
    applyProcUs,
    applyThreadUs,
    queuePerS,
    lockPerS,
    lockContendedPerS,
    brokerLockPerS,
    pipeRttUs,
  };
}

const PYTHON = String.raw`
import json, multiprocessing as mp, statistics, time
from multiprocessing.pool import ThreadPool
STARTS, MAP_TASKS, APPLY_TASKS, QUEUE_ITEMS, LOCK_OPS, BROKER_LOCK_OPS, PIPE_TRIPS, WARM_RUNS, REPEAT = ${STARTS}, ${MAP_TASKS}, ${APPLY_TASKS}, ${QUEUE_ITEMS}, ${LOCK_OPS}, ${BROKER_LOCK_OPS}, ${PIPE_TRIPS}, ${WARM_RUNS}, ${REPEAT}
def mark(q): q.put(time.time())
def tiny(x): return x
def lock_loop(lock, n, go, out):
    go.wait(); t = time.perf_counter()
    for _ in range(n):
        lock.acquire(); lock.release()
    out.put(n / (time.perf_counter() - t))
def producer(q, n, go):
    go.wait()
    for i in range(n): q.put(i)
def consumer(q, n, out):
    for _ in range(n): q.get()
    out.put(time.time())
def echo(c, n):
    for _ in range(n): c.send(c.recv())
def start_to_running(n):
    q = mp.Queue(); ts = []
    for _ in range(n):
        t0 = time.time(); p = mp.Process(target=mark, args=(q,)); p.start(); ts.append((q.get() - t0) * 1000); p.join()
    return statistics.median(ts)
def per_task(pool, chunksize):
    xs = list(range(MAP_TASKS)); runs = []
    for r in range(WARM_RUNS + REPEAT):
        t = time.perf_counter(); pool.map(tiny, xs, chunksize)
        if r >= WARM_RUNS: runs.append((time.perf_counter() - t) * 1e6 / MAP_TASKS)
    return statistics.median(runs)
def apply_cb(pool):
    import threading; runs = []
    for r in range(WARM_RUNS + REPEAT):
        left = [APPLY_TASKS]; ev = threading.Event()
        def cb(_):
            left[0] -= 1
            if left[0] == 0: ev.set()
        t = time.perf_counter()
        for i in range(APPLY_TASKS): pool.apply_async(tiny, (i,), callback=cb)
        ev.wait()
        if r >= WARM_RUNS: runs.append((time.perf_counter() - t) * 1e6 / APPLY_TASKS)
    return statistics.median(runs)
def queue_tp():
    q, out, go = mp.Queue(), mp.Queue(), mp.Event()
    ps = [mp.Process(target=producer, args=(q, QUEUE_ITEMS, go)), mp.Process(target=consumer, args=(q, QUEUE_ITEMS, out))]
    for p in ps: p.start()
    time.sleep(0.2); t0 = time.time(); go.set(); end = out.get()
    for p in ps: p.join()
    return QUEUE_ITEMS / (end - t0)
def lock_rate(lock, procs, n):
    go, out = mp.Event(), mp.Queue()
    ps = [mp.Process(target=lock_loop, args=(lock, n, go, out)) for _ in range(procs)]
    for p in ps: p.start()
    time.sleep(0.2); go.set(); total = sum(out.get() for _ in range(procs))
    for p in ps: p.join()
    return total
def pipe_rtt():
    a, b = mp.Pipe(); p = mp.Process(target=echo, args=(b, PIPE_TRIPS + 100)); p.start()
    for i in range(100): a.send(i); a.recv()
    t = time.perf_counter()
    for i in range(PIPE_TRIPS): a.send(i); a.recv()
    us = (time.perf_counter() - t) * 1e6 / PIPE_TRIPS; p.join(); return us
if __name__ == "__main__":
    start_to_running(2)  # warm-up, as on Spindle's side (imports, the start method's machinery)
    f = {"startWarmMs": start_to_running(STARTS), "startColdMs": start_to_running(5)}
    with mp.Pool(2) as pool:
        f["mapC1Us"] = per_task(pool, 1); f["mapDefaultUs"] = per_task(pool, None); f["applyProcUs"] = apply_cb(pool)
    with ThreadPool(2) as tp:
        f["applyThreadUs"] = apply_cb(tp)
    f["queuePerS"] = queue_tp()
    lock = mp.Lock()
    f["lockPerS"] = lock_rate(lock, 1, LOCK_OPS); f["lockContendedPerS"] = lock_rate(lock, 2, LOCK_OPS // 2)
    with mp.Manager() as m:
        f["brokerLockPerS"] = lock_rate(m.Lock(), 1, BROKER_LOCK_OPS)
    f["pipeRttUs"] = pipe_rtt()
    f["startMethod"] = mp.get_start_method()
    print(json.dumps(f))
`;

/** One round of Python's side in a fresh process (warmed before it measures). */
function pythonFigures(): (Figures & { startMethod: string }) | string {
  const r = spawnSync("/usr/bin/python3", ["-c", PYTHON], { encoding: "utf8", timeout: 300_000 });
  if (r.status !== 0) return `python3 bench failed: ${r.error?.message ?? r.stderr}`;
  return JSON.parse(r.stdout.trim().split("\n").pop() as string) as Figures & { startMethod: string };
}

interface Row {
  what: string;
  key: keyof Figures;
  unit: string;
  higherIsBetter: boolean;
  target: string;
}

const ROWS: Row[] = [
  {
    what: "Process start → running, warm spare (p50)",
    key: "startWarmMs",
    unit: "ms",
    higherIsBetter: false,
    target: "≤ 2 ms",
  },
  {
    what: "Process start → running, cold (p50)",
    key: "startColdMs",
    unit: "ms",
    higherIsBetter: false,
    target: "report",
  },
  {
    what: "Pool(2).map per task, chunksize 1",
    key: "mapC1Us",
    unit: "µs",
    higherIsBetter: false,
    target: "≤ 0.5× Python",
  },
  {
    what: "Pool(2).map per task, default chunks",
    key: "mapDefaultUs",
    unit: "µs",
    higherIsBetter: false,
    target: "≤ 0.5× Python",
  },
  {
    what: "Pool(2).applyAsync + callback per task",
    key: "applyProcUs",
    unit: "µs",
    higherIsBetter: false,
    target: "≤ 0.2× Python",
  },
  {
    what: "ThreadPool(2).applyAsync + callback per task",
    key: "applyThreadUs",
    unit: "µs",
    higherIsBetter: false,
    target: "≤ 0.2× Python",
  },
  { what: "Queue, process → process", key: "queuePerS", unit: "items/s", higherIsBetter: true, target: "≥ Python" },
  {
    what: "Lock acquire+release, 1 process",
    key: "lockPerS",
    unit: "ops/s",
    higherIsBetter: true,
    target: "≥ 100 k/s",
  },
  {
    what: "Lock acquire+release, 2 processes contending",
    key: "lockContendedPerS",
    unit: "ops/s",
    higherIsBetter: true,
    target: "report",
  },
  {
    what: "Manager().Lock() acquire+release (broker)",
    key: "brokerLockPerS",
    unit: "ops/s",
    higherIsBetter: true,
    target: "report",
  },
  { what: "Pipe round trip", key: "pipeRttUs", unit: "µs", higherIsBetter: false, target: "report" },
];

function fmt(n: number): string {
  if (n >= 100_000) return `${(n / 1000).toFixed(0)} k`;
  if (n >= 1000) return `${(n / 1000).toFixed(1)} k`;
  return n >= 10 ? n.toFixed(1) : n.toFixed(2);
}

/** Runs the multiprocessing benchmarks and prints a table beside Python's figures. */
export async function run(): Promise<void> {
  const load = os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(" ");
  await warmSpindle();
  const ours: Figures[] = [];
  const theirs: Figures[] = [];
  let startMethod = "";
  let pythonError: string | undefined;
  for (let r = 0; r < ROUNDS; r++) {
    ours.push(await spindleFigures());
    const py = pythonFigures();
    if (typeof py === "string") pythonError = py;
    else {
      theirs.push(py);
      startMethod = py.startMethod;
    }
  }
  const loadAfter = os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(" ");
  console.log(
    `\nspindle/multiprocessing vs Python ${theirs.length ? `multiprocessing (start method ${startMethod})` : "(python3 unavailable)"} — ` +
      `${os.cpus().length} CPUs, load ${load} at start, ${loadAfter} at end; both warmed, ${ROUNDS} alternating rounds, median (min–max)`,
  );
  console.log("| measure | Spindle | Python | Spindle/Python (medians) | target |");
  console.log("|---|---:|---:|---:|---|");
  for (const r of ROWS) {
    const a = spread(ours.map((f) => f[r.key]));
    const b = spread(theirs.map((f) => f[r.key]));
    const ratio = b.runs > 0 ? `${(a.median / b.median).toFixed(2)}×` : "–";
    console.log(
      `| ${r.what} | ${showSpread(a, fmt)} ${r.unit} | ${b.runs > 0 ? `${showSpread(b, fmt)} ${r.unit}` : "–"} | ${ratio} | ${r.target} |`,
    );
  }
  if (pythonError) console.log(`\n${pythonError}`);
}

if (require.main === module) void run().then(() => process.exit(0));
