/**
 * Controlled scheduling of asyncio tasks for `spindle/explore`. Tasks share one thread, so their order is
 * decided by which suspended wait resumes next. While a schedule is explored, no wait resumes by itself:
 * `Suspension.resolve`/`reject` hand the resumption to this module, and once every task is suspended (the
 * microtask queue ran dry: a macrotask turn) a seeded random choice picks the one that resumes. Waits that
 * would not suspend (a free lock, a queue with an item, `sleep(0)`) suspend too, so each await of a Spindle
 * asyncio primitive is a schedule point. Sleeps are virtual: when nothing else can resume, virtual time jumps
 * to the earliest sleeper. Nothing here runs unless `controlled.on`.
 */
import { SpindleError } from "../../errors";

/** One resumption waiting for its turn. */
interface Ready {
  settle: () => void;
  task: string;
  what: string;
}

/** The error blocked tasks get when every task waits and nothing can wake them. */
export class AsyncDeadlockError extends SpindleError {
  /** Creates the error naming what each task waits for. */
  constructor(message: string) {
    super(message, "ERR_SPINDLE_DEADLOCK");
  }
}

/** One step of an explored asyncio schedule: which task resumed, after waiting for what. */
export interface AsyncStep {
  task: string;
  what: string;
}

/** The control state (`on` is the one flag the primitives test). */
export const controlled = {
  on: false,
  rng: 1,
  vnow: 0,
  seq: 0,
  ready: [] as Ready[],
  sleepers: [] as Array<Ready & { at: number; seq: number }>,
  blocked: new Map<object, { task: string; what: string; fail: (err: unknown) => void }>(),
  steps: [] as AsyncStep[],
  pumping: false,
  deadlocked: undefined as AsyncDeadlockError | undefined,
};

/** Starts controlling asyncio waits with `seed` (the explorer, once per schedule). */
export function beginAsyncControl(seed: number): void {
  controlled.on = true;
  controlled.rng = seed >>> 0 || 1;
  controlled.vnow = 0;
  controlled.seq = 0;
  controlled.ready.length = 0;
  controlled.sleepers.length = 0;
  controlled.blocked.clear();
  controlled.steps.length = 0;
  controlled.deadlocked = undefined;
}

/** Stops controlling: waits still pending resume as they would have. */
export function endAsyncControl(): void {
  controlled.on = false;
  const rest = [...controlled.ready, ...controlled.sleepers];
  controlled.ready.length = 0;
  controlled.sleepers.length = 0;
  controlled.blocked.clear();
  for (const r of rest) r.settle();
}

/** The name of the task running now (set by task.ts, which this module must not import). */
export const taskName = { current: (): string => "MainThread" };

/** A suspension is waiting (for deadlock detection). */
export function noteBlocked(key: object, what: string, fail: (err: unknown) => void): void {
  controlled.blocked.set(key, { task: taskName.current(), what, fail });
}

/** A wait of `key` ended: its resumption runs when the strategy picks it. */
export function deferResume(key: object, what: string, settle: () => void): void {
  const b = controlled.blocked.get(key);
  controlled.blocked.delete(key);
  controlled.ready.push({ settle, task: b?.task ?? taskName.current(), what });
  schedulePump();
}

/** A virtual sleep of `ms`: resumes when virtual time reaches it and the strategy picks it. */
export function deferSleep(key: object, ms: number, settle: () => void): void {
  controlled.blocked.delete(key);
  controlled.sleepers.push({
    settle,
    task: taskName.current(),
    what: `sleep(${ms / 1000})`,
    at: controlled.vnow + ms,
    seq: controlled.seq++,
  });
  schedulePump();
}

function schedulePump(): void {
  if (controlled.pumping) return;
  controlled.pumping = true;
  setImmediate(pump);
}

function random(): number {
  let x = controlled.rng | 0;
  x ^= x << 13;
  x ^= x >>> 17;
  x ^= x << 5;
  controlled.rng = x;
  return x >>> 0;
}

// Runs when every task is suspended: resumes one, then comes back after it suspends again.
function pump(): void {
  controlled.pumping = false;
  if (!controlled.on) return;
  if (controlled.ready.length === 0 && controlled.sleepers.length > 0) {
    const at = Math.min(...controlled.sleepers.map((s) => s.at));
    controlled.vnow = at;
    const due = controlled.sleepers.filter((s) => s.at === at).sort((a, b) => a.seq - b.seq);
    controlled.sleepers = controlled.sleepers.filter((s) => s.at !== at);
    controlled.ready.push(...due);
  }
  if (controlled.ready.length > 0) {
    const [next] = controlled.ready.splice(random() % controlled.ready.length, 1);
    controlled.steps.push({ task: next!.task, what: next!.what });
    next!.settle();
    schedulePump();
    return;
  }
  if (controlled.blocked.size === 0) return;
  // Every task waits and nothing can wake one: a deadlock. The blocked waits fail with the report.
  const waits = [...controlled.blocked.values()];
  const err = new AsyncDeadlockError(
    `Deadlock: every task is waiting and none can go on.\n${waits.map((w) => `  ${w.task} waits for ${w.what}`).join("\n")}`,
  );
  controlled.deadlocked = err;
  controlled.blocked.clear();
  for (const w of waits) w.fail(err);
}
