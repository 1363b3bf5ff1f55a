/**
 * `explore(fn, options)` runs `fn` (which starts Spindle threads, joins them and checks an invariant) many
 * times, each time under a different seeded schedule in which one thread runs at a time and switches
 * happen only at schedule points (see `src/concurrency/shared/schedule.ts`). It stops at the first failing
 * schedule and returns it with a seed that `replay` runs again, the same way, every time.
 */
import worker_threads from "node:worker_threads";
import { SpindleError } from "../errors";
import { currentCell } from "../runtime/cell-context";
import { JUPYTER_DISPLAY, type MimeBundle } from "../display/mime";
import {
  abortSchedule,
  beginSchedule,
  endSchedule,
  Fail,
  loggedSteps,
  participantIdents,
  scheduleOutcome,
  ScheduleAborted,
  Op,
  Prim,
  Strategy,
  type LoggedStep,
  setControlMode,
} from "../concurrency/shared/schedule";
import { controlled } from "../concurrency/threading/runner";
import { pool } from "../concurrency/threading/pool";
import { THREAD_STATE, threadNumbers } from "../concurrency/threading/thread-state";
import { describeDeadlock, type DeadlockReport } from "../concurrency/threading/deadlock";
import type { Timeline } from "../timing/timeline";
import { describeSteps, scheduleTimeline } from "./schedule-timeline";
import {
  AsyncDeadlockError,
  beginAsyncControl,
  controlled as asyncControl,
  endAsyncControl,
} from "../concurrency/asyncio/controlled";

/** Options of `explore()`. */
export interface ExploreOptions {
  /** How many schedules to try at most (default 1,000). */
  schedules?: number;
  /** The seed of the first schedule (default 1); the same seed and options explore the same schedules. */
  seed?: number;
  /** `"random"` (default): a uniform random walk; `"pct"`: priorities with d − 1 random change points. */
  strategy?: "random" | "pct";
  /** PCT's bug depth d (default 3): how many ordering constraints the bug needs. */
  depth?: number;
  /** Steps after which one schedule counts as a failure (an endless loop of schedule points; default 100,000). */
  maxSteps?: number;
}

/** A failing schedule. */
export interface ExploreFailure {
  /** Runs exactly this schedule again: `replay(fn, failure.seed)`. */
  seed: string;
  /** The uncaught error (of a thread or of `fn`), or a DeadlockError. */
  error: unknown;
  kind: "error" | "deadlock";
  /** Schedule points passed before the failure. */
  steps: number;
  /** The chart of the schedule: who ran when, switch points marked. */
  timeline: Timeline;
  /** The steps as text, one line each ("Thread-2: read money"). */
  trace: string[];
  /** For a deadlock on locks: the wait-for report. */
  deadlock?: DeadlockReport;
  /** Which schedule (1-based) failed. */
  schedule: number;
}

/** The error `explore` reports when every thread is blocked. */
export class DeadlockError extends SpindleError {
  /** Creates the error with the wait-for report's text. */
  constructor(message: string) {
    super(message, "ERR_SPINDLE_DEADLOCK");
  }
}

/** Misuse of the explorer: bad options, nested exploration, a seed from other code, uncontrolled threads. */
export class ExploreError extends SpindleError {
  /** Creates the error; the message says what is not controlled or what to change. */
  constructor(message: string, code = "ERR_SPINDLE_EXPLORE") {
    super(message, code);
  }
}

/** What an exploration found; shows itself as rich output (the failure's seed, error and chart). */
export class ExploreResult {
  /** How to run the failing schedule again (a `%%explore` cell has no function to hand to `replay`). */
  replayHint: string | undefined;

  /** Builds the result. */
  constructor(
    /** Schedules run. */
    readonly schedules: number,
    /** The first failing schedule, or undefined when every schedule passed. */
    readonly failure: ExploreFailure | undefined,
    /** The options used (with defaults filled in). */
    readonly options: Required<ExploreOptions>,
    /** Wall time of the exploration in seconds. */
    readonly seconds: number,
  ) {}

  /** A short verdict, then (on failure) the error and the steps. */
  toText(): string {
    const o = this.options;
    const how = `${o.strategy}${o.strategy === "pct" ? ` depth ${o.depth}` : ""}, seed ${o.seed}`;
    if (!this.failure)
      return `No failure in ${this.schedules} schedule${this.schedules === 1 ? "" : "s"} (${how}, ${this.seconds.toFixed(2)} s).`;
    const f = this.failure;
    const lines = [
      `${f.kind === "deadlock" ? "Deadlock" : "Failure"} found in schedule ${f.schedule} of ${o.schedules} (${how}), after ${f.steps} steps.`,
      this.replayHint ?? `Replay it with: await replay(fn, ${JSON.stringify(f.seed)})`,
      errorText(f.error),
    ];
    if (f.trace.length <= 60) lines.push("Steps:", ...f.trace.map((l, i) => `  ${String(i + 1).padStart(3)}  ${l}`));
    else
      lines.push(
        `Steps (last 60 of ${f.trace.length}):`,
        ...f.trace.slice(-60).map((l, i) => `  ${String(f.trace.length - 59 + i).padStart(3)}  ${l}`),
      );
    return lines.join("\n");
  }

  /** Rich output: the verdict, the error, the wait-for report and the chart of the failing schedule. */
  [JUPYTER_DISPLAY](): MimeBundle {
    const o = this.options;
    const how = `${o.strategy}${o.strategy === "pct" ? ` depth ${o.depth}` : ""}, seed ${o.seed}`;
    if (!this.failure) {
      return {
        "text/plain": this.toText(),
        "text/html": `<div class="spindle-explore"><p>✅ <strong>No failure</strong> in ${this.schedules} schedules (${esc(how)}, ${this.seconds.toFixed(2)} s).</p></div>`,
      };
    }
    const f = this.failure;
    const html =
      `<div class="spindle-explore"><p>❌ <strong>${f.kind === "deadlock" ? "Deadlock" : "Failure"}</strong> in schedule ${f.schedule} ` +
      `(${esc(how)}), after ${f.steps} steps. Seed <code>${esc(f.seed)}</code> — ` +
      (this.replayHint
        ? esc(this.replayHint)
        : `<code>await replay(fn, ${esc(JSON.stringify(f.seed))})</code> runs it again.`) +
      `</p>` +
      (f.deadlock
        ? f.deadlock.html.replace(/<p>Interrupt the kernel[^<]*<\/p>/, "")
        : `<pre style="white-space: pre-wrap">${esc(errorText(f.error))}</pre>`) +
      f.timeline.toSVG() +
      `</div>`;
    return { "text/plain": this.toText(), "text/html": html };
  }
}

const DEFAULTS: Required<ExploreOptions> = {
  schedules: 1000,
  seed: 1,
  strategy: "random",
  depth: 3,
  maxSteps: 100_000,
};
let running = false;
let firstThreadNumber = 0;

/** Explores schedules of `fn` until one fails (or `schedules` pass); see docs/explore.md. */
export async function explore(fn: () => unknown, options: ExploreOptions = {}): Promise<ExploreResult> {
  const o = checkOptions(options);
  const started = performance.now();
  return exclusive(async () => {
    let k = 16; // PCT's estimate of a schedule's length, refined as schedules run
    for (let i = 0; i < o.schedules; i++) {
      const params = {
        seed: scheduleSeed(o.seed, i),
        strategy: o.strategy === "pct" ? Strategy.Pct : Strategy.Random,
        depth: o.depth,
        k,
      };
      const run = await runSchedule(fn, params, o.maxSteps);
      if (run.failure) {
        const failure = { ...run.failure, seed: encodeSeed(params, fn), schedule: i + 1 };
        return new ExploreResult(i + 1, failure, o, (performance.now() - started) / 1000);
      }
      k = Math.max(k, run.steps);
      if ((i & 63) === 63) await new Promise((resolve) => setImmediate(resolve)); // let an interrupt in
    }
    return new ExploreResult(o.schedules, undefined, o, (performance.now() - started) / 1000);
  });
}

/** `%%explore [N] [--seed S]`: explores a cell; the same magic line finds the same schedule again. */
export async function exploreCell(run: () => unknown, schedules?: number, seed?: number): Promise<ExploreResult> {
  const r = await explore(run, { schedules, seed });
  r.replayHint = `Running this cell again (same %%explore line) finds this schedule again.`;
  return r;
}

/** Runs the one schedule `seed` (from `ExploreFailure.seed`) of `fn` again: the same interleaving, the same error. */
export async function replay(fn: () => unknown, seed: string): Promise<ExploreResult> {
  const params = decodeSeed(seed, fn);
  const o: Required<ExploreOptions> = {
    ...DEFAULTS,
    schedules: 1,
    seed: params.seed,
    strategy: params.strategy === Strategy.Pct ? "pct" : "random",
    depth: params.depth,
  };
  const started = performance.now();
  return exclusive(async () => {
    const run = await runSchedule(fn, params, o.maxSteps);
    const failure = run.failure ? { ...run.failure, seed, schedule: 1 } : undefined;
    return new ExploreResult(1, failure, o, (performance.now() - started) / 1000);
  });
}

interface Params {
  seed: number;
  strategy: number;
  depth: number;
  k: number;
}

async function exclusive<T>(body: () => Promise<T>): Promise<T> {
  if (running) {
    throw new ExploreError(
      "explore()/replay() was called while another exploration runs (nested explore, or two at once): one exploration controls " +
        "every Spindle thread of the kernel. Explore the inner code on its own, or call the inner function without explore.",
      "ERR_SPINDLE_EXPLORE_NESTED",
    );
  }
  running = true;
  setControlMode(true);
  firstThreadNumber = threadNumbers.get();
  const restore = guardWorkers();
  pool.keepWarm(true);
  let cleaned = false;
  const cleanUp = (): void => {
    if (cleaned) return;
    cleaned = true;
    untrack?.();
    pool.keepWarm(false);
    restore();
    abortSchedule();
    endAsyncControl();
    endSchedule();
    setControlMode(false);
    running = false;
  };
  // An interrupt may end the cell's JavaScript where it stands (finally blocks included): clean up from its hook.
  const untrack = currentCell()?.track({ interrupt: cleanUp });
  try {
    return await body();
  } finally {
    cleanUp();
  }
}

/** While exploring, a plain `worker_threads.Worker` (which Spindle cannot schedule) is refused with a clear error. */
function guardWorkers(): () => void {
  const wt = worker_threads as { Worker: typeof worker_threads.Worker };
  const Original = wt.Worker;
  const stack = () => new Error().stack ?? "";
  class GuardedWorker extends Original {
    constructor(...args: ConstructorParameters<typeof Original>) {
      // Spindle's own pool makes workers too (for its threads): those are controlled.
      if (!/concurrency[\\/]threading[\\/]pool\.js/.test(stack())) {
        throw new ExploreError(
          "This code creates a plain worker_threads.Worker while explore() runs. explore controls only Spindle threads " +
            "(spindle/threading Thread, its locks, queues and shared records): what a plain Worker does is not scheduled, so " +
            "no schedule could be replayed. Use spindle/threading's Thread instead.",
          "ERR_SPINDLE_EXPLORE_UNCONTROLLED",
        );
      }
      super(...args);
    }
  }
  wt.Worker = GuardedWorker;
  return () => void (wt.Worker = Original);
}

interface ScheduleRun {
  steps: number;
  failure?: Omit<ExploreFailure, "seed" | "schedule">;
}

async function runSchedule(fn: () => unknown, params: Params, maxSteps: number): Promise<ScheduleRun> {
  controlled.threads.length = 0;
  controlled.errors.clear();
  threadNumbers.set(firstThreadNumber); // Thread-5, Thread-6 in every schedule of one exploration
  beginSchedule({ ...params, limit: maxSteps });
  beginAsyncControl(params.seed ^ 0x5bd1e995);
  let fnError: unknown;
  let fnFailed = false;
  try {
    await fn();
    // Threads fn did not join still belong to this schedule: wait for them under control too.
    for (const t of [...controlled.threads]) await t.join();
  } catch (err) {
    fnFailed = true;
    fnError = err;
  }
  const outcome = scheduleOutcome();
  // Read the wait-for graph before the blocked threads unwind.
  const idents = participantIdents();
  const deadlock = outcome.failed === Fail.Deadlock ? describeDeadlock(idents) : undefined;
  abortSchedule();
  const threads = [...controlled.threads];
  await settleThreads(threads);
  const async = asyncSteps();
  const asyncDeadlock = asyncControl.deadlocked;
  endAsyncControl();
  const steps = async.steps.length > 0 ? async.steps : loggedSteps();
  const lanesOverride = async.steps.length > 0 ? async.lanes : undefined;
  endSchedule();
  const interrupted = currentCell()?.signal?.aborted;
  if (interrupted) throw currentCell()?.signal?.reason ?? fnError;
  if (fnFailed && !(fnError instanceof ScheduleAborted) && outcome.failed === Fail.None) {
    const kind =
      asyncDeadlock && (fnError === asyncDeadlock || fnError instanceof AsyncDeadlockError) ? "deadlock" : "error";
    return { steps: steps.length, failure: describe(kind, fnError, steps, threads, idents, lanesOverride) };
  }
  if (outcome.failed === Fail.None) return { steps: Math.max(outcome.steps, steps.length) };
  switch (outcome.failed) {
    case Fail.None:
      return { steps: outcome.steps };
    case Fail.Error: {
      const thread = threads[outcome.failer - 1];
      const error = thread ? controlled.errors.get(thread) : fnError;
      return { steps: outcome.steps, failure: describe("error", error, steps, threads, idents) };
    }
    case Fail.Deadlock: {
      const blockedText = deadlockText(steps, threads, idents);
      const error = new DeadlockError(
        deadlock ? deadlock.text.replace(/\nInterrupt the kernel[^\n]*\n?$/, "") : blockedText,
      );
      return { steps: outcome.steps, failure: { ...describe("deadlock", error, steps, threads, idents), deadlock } };
    }
    default:
      return {
        steps: outcome.steps,
        failure: describe(
          "error",
          new ExploreError(
            `A schedule passed ${maxSteps} schedule points without ending: a thread loops forever (a livelock, or a busy wait on a shared field). ` +
              `Raise maxSteps if the code really needs more.`,
            "ERR_SPINDLE_EXPLORE_TOO_LONG",
          ),
          steps,
          threads,
          idents,
        ),
      };
  }
}

/** Waits until every thread of the schedule has really ended (its worker went back to the pool). */
async function settleThreads(threads: readonly import("../concurrency/threading/thread").Thread[]): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const all = Promise.all(threads.map((t) => t[THREAD_STATE].finishedPromise));
  const late = new Promise<"late">((resolve) => (timer = setTimeout(() => resolve("late"), 10_000)));
  const signal = currentCell()?.signal;
  let onAbort: (() => void) | undefined;
  const stopped = new Promise<"stopped">((resolve) =>
    signal?.addEventListener("abort", (onAbort = () => resolve("stopped")), { once: true }),
  );
  const r = await Promise.race([all, late, stopped]);
  clearTimeout(timer);
  if (onAbort) signal?.removeEventListener("abort", onAbort);
  if (r === "late") {
    throw new ExploreError(
      "A thread did not end within 10 s after its schedule was stopped: it runs code with no schedule point (a loop without " +
        "Spindle operations, or blocking I/O), which explore cannot control. Interrupt the kernel to stop it.",
      "ERR_SPINDLE_EXPLORE_UNCONTROLLED",
    );
  }
}

function namesByIdent(threads: readonly { name: string }[], idents: number[]): Map<number, string> {
  const byIdent = new Map<number, string>();
  threads.forEach((t, i) => {
    byIdent.set(idents[i + 1] ?? -1, t.name);
  });
  return byIdent;
}

function laneNamesOf(threads: readonly { name: string }[]): string[] {
  return ["MainThread", ...threads.map((t) => t.name)];
}

function describe(
  kind: "error" | "deadlock",
  error: unknown,
  steps: LoggedStep[],
  threads: readonly import("../concurrency/threading/thread").Thread[],
  idents: number[],
  lanesOverride?: string[],
): Omit<ExploreFailure, "seed" | "schedule"> {
  const lanes = lanesOverride ?? laneNamesOf(threads);
  const byIdent = namesByIdent(threads, idents);
  const title = `${kind === "deadlock" ? "Deadlocked" : "Failing"} schedule — one step per ms, switch points ticked ⇄`;
  return {
    error,
    kind,
    steps: steps.length,
    timeline: scheduleTimeline(steps, lanes, byIdent, title),
    trace: describeSteps(steps, lanes, byIdent),
  };
}

function deadlockText(steps: LoggedStep[], threads: readonly { name: string }[], idents: number[]): string {
  const lanes = laneNamesOf(threads);
  const lines = describeSteps(steps, lanes, namesByIdent(threads, idents));
  const last = new Map<number, string>();
  steps.forEach((s, i) => {
    if (lines[i] && !lines[i]!.endsWith("blocks")) last.set(s.who, lines[i]!);
  });
  const waits = [...last.entries()].map(([, l]) => `  ${l}`);
  return `Deadlock: every thread is blocked and none can go on. What each did last:\n${waits.join("\n")}`;
}

function errorText(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return String(error);
}

function esc(s: string): string {
  return s.replace(/[&<>"]/g, (c) => `&${{ "&": "amp", "<": "lt", ">": "gt", '"': "quot" }[c]};`);
}

function checkOptions(options: ExploreOptions): Required<ExploreOptions> {
  const o = {
    ...DEFAULTS,
    ...Object.fromEntries(Object.entries(options ?? {}).filter(([, v]) => v !== undefined)),
  } as Required<ExploreOptions>;
  const int = (name: string, v: number, min: number) => {
    if (!Number.isInteger(v) || v < min)
      throw new ExploreError(`explore(): ${name} must be an integer ≥ ${min} (got ${String(v)}).`);
  };
  int("schedules", o.schedules, 1);
  int("seed", o.seed, 0);
  int("depth", o.depth, 1);
  int("maxSteps", o.maxSteps, 10);
  if (o.strategy !== "pct" && o.strategy !== "random") {
    throw new ExploreError(`explore(): strategy must be "pct" or "random" (got ${JSON.stringify(o.strategy)}).`);
  }
  if (o.depth > 17)
    throw new ExploreError(`explore(): depth must be at most 17 (got ${o.depth}); real bugs rarely need more than 3.`);
  return o;
}

/** The seed of schedule `i` of an exploration starting at `seed` (a 32-bit mix, never 0). */
function scheduleSeed(seed: number, i: number): number {
  let h = Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(i + 1, 0xc2b2ae35);
  h ^= h >>> 16;
  h = Math.imul(h, 0x7feb352d);
  h ^= h >>> 15;
  return h >>> 0 || 1;
}

/** FNV-1a of the function's source: a seed replays only the code it was found for. */
function codeHash(fn: () => unknown): string {
  const text = String(fn);
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return (h >>> 0).toString(16).padStart(8, "0");
}

function encodeSeed(p: Params, fn: () => unknown): string {
  return `${p.strategy === Strategy.Pct ? "pct" : "rnd"}${p.depth}-${p.k}-${p.seed}-${codeHash(fn)}`;
}

function decodeSeed(seed: unknown, fn: () => unknown): Params {
  const m = typeof seed === "string" ? /^(pct|rnd)(\d+)-(\d+)-(\d+)-([0-9a-f]{8})$/.exec(seed) : null;
  if (!m) {
    throw new ExploreError(
      `replay(): ${JSON.stringify(seed)} is not a schedule seed. Pass the seed of a failure explore() found, e.g. replay(fn, r.failure.seed).`,
      "ERR_SPINDLE_EXPLORE_SEED",
    );
  }
  if (m[5] !== codeHash(fn)) {
    throw new ExploreError(
      `replay(): seed ${seed} was found for other code: this function's source differs from the one explored, so its schedule ` +
        `would not mean the same interleaving. Explore this function again to get a seed for it.`,
      "ERR_SPINDLE_EXPLORE_SEED",
    );
  }
  return {
    strategy: m[1] === "pct" ? Strategy.Pct : Strategy.Random,
    depth: Number(m[2]),
    k: Number(m[3]),
    seed: Number(m[4]),
  };
}

/** The asyncio steps of the schedule as logged steps, one lane per task (the main thread first). */
function asyncSteps(): { steps: LoggedStep[]; lanes: string[] } {
  const lanes = ["MainThread"];
  const steps = asyncControl.steps.map((s): LoggedStep => {
    let who = lanes.indexOf(s.task);
    if (who < 0) who = lanes.push(s.task) - 1;
    return { who, op: Op.Wake, prim: Prim.None, obj: 0, aux: 0, label: s.what };
  });
  return { steps, lanes };
}
