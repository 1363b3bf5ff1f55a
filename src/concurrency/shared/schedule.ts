/**
 * Controlled scheduling for `spindle/explore`. While a schedule is explored, one Spindle thread runs at a
 * time: a token in shared memory says which. A thread gives the token away only at a schedule point (an
 * operation of a primitive, a read or write of a shared field) or when it blocks; the thread holding the
 * token picks the next one with the seeded strategy, whose whole state lives here too, so the choice is the
 * same whichever thread makes it. Blocking is modelled, not real: a thread that would wait on a futex word
 * is marked blocked until some thread wakes that kind of word (`stateChanged`), or until virtual time
 * reaches its deadline; virtual time moves only when every thread waits. Outside exploration every entry
 * point here costs one plain read of `gate[0]`.
 */
import { getEnvironmentData, isMainThread, setEnvironmentData } from "node:worker_threads";
import { SpindleError } from "../../errors";
import { currentIdent } from "./registry";

/** The operations a schedule point or a step of the log can be. */
export const Op = {
  Start: 1,
  Begin: 2,
  End: 3,
  Join: 4,
  Acquire: 5,
  Release: 6,
  Block: 7,
  Wake: 8,
  Timeout: 9,
  Set: 10,
  Clear: 11,
  Notify: 12,
  Wait: 13,
  Put: 14,
  Get: 15,
  Read: 16,
  Write: 17,
  Sleep: 18,
  Yield: 19,
} as const;
/** One of the `Op` codes. */
export type Op = (typeof Op)[keyof typeof Op];

/** The kind of object a step is about (with its id, it names the object on the chart). */
export const Prim = {
  None: 0,
  Lock: 1,
  RLock: 2,
  Semaphore: 3,
  BoundedSemaphore: 4,
  Condition: 5,
  Event: 6,
  Barrier: 7,
  Queue: 8,
  Record: 9,
  Thread: 10,
  Time: 11,
} as const;
/** One of the `Prim` codes. */
export type Prim = (typeof Prim)[keyof typeof Prim];

/** The strategies: uniform random walk, or PCT (Burckhardt et al., ASPLOS 2010). */
export const Strategy = { Random: 0, Pct: 1 } as const;

/** Why a schedule ended early. */
export const Fail = { None: 0, Error: 1, Deadlock: 2, TooLong: 3 } as const;

/** Participants of one schedule (the main thread is participant 0). */
export const MAX_PARTICIPANTS = 64;
/** Steps the log keeps for the chart; later steps still run and count. */
export const LOG_STEPS = 20_000;
/** Max change points of PCT (depth − 1). */
export const MAX_CHANGES = 16;

// Header (Int32 slots).
const ACTIVE = 0; // 1 while a schedule runs
const TOKEN = 1; // participant allowed to run
const VERSION = 2; // bumped when a thread wakes waiters: blocked threads may retry
const STEP = 3;
const NPART = 4;
const FAILED = 5;
const ABORT = 6;
const RNG = 7;
const STRATEGY = 8;
const DEPTH = 9;
const K = 10;
const GEN = 11; // schedule number, so a worker's cached participant index is known stale
const FAILER = 12;
const LIMIT = 13;
const NEXT_LOW = 14; // next low PCT priority to hand out at a change point
const SUSPECT = 15; // VERSION at which every blocked thread was last let retry before a deadlock verdict
const CHANGES_AT = 32;
const PART_AT = 64;
const PART_INTS = 8;
const P_STATUS = 0;
const P_BLOCK_VER = 1;
const P_IDENT = 2;
const P_PRIO = 3;
const P_SEQ = 4;
const P_PRIM = 5;
const P_OBJ = 6;
const LOG_AT = PART_AT + MAX_PARTICIPANTS * PART_INTS;
const LOG_INTS = 4;
const TOTAL_INTS = LOG_AT + LOG_STEPS * LOG_INTS;
// Float64 slots after the ints: virtual time (ms), then one deadline per participant.
const F_AT_BYTES = TOTAL_INTS * 4;
const F_VTIME = 0;
const F_DEADLINE = 1;

/** Participant states. */
export const Status = { Unused: 0, Runnable: 1, Blocked: 2, Finished: 3 } as const;

const ENV_KEY = "spindle.explore.control";

function controlBuffer(): SharedArrayBuffer {
  let sab = getEnvironmentData(ENV_KEY) as SharedArrayBuffer | undefined;
  if (!sab) {
    sab = new SharedArrayBuffer(F_AT_BYTES + (1 + MAX_PARTICIPANTS) * 8);
    if (isMainThread) setEnvironmentData(ENV_KEY, sab);
  }
  return sab;
}

const sab = controlBuffer();
/** `gate[0]` is 1 while exploring: primitives test it before anything else (one plain read). */
export const gate = new Int32Array(sab, 0, 1);
const ctl = new Int32Array(sab, 0, TOTAL_INTS);
const f64 = new Float64Array(sab, F_AT_BYTES, 1 + MAX_PARTICIPANTS);

/** The error every controlled thread throws when its schedule ended (failure found, or exploration stopped). */
export class ScheduleAborted extends SpindleError {
  /** Creates the error. */
  constructor() {
    super(
      "This schedule was ended by the explorer (another thread failed, or exploration stopped).",
      "ERR_SPINDLE_SCHEDULE_ABORTED",
    );
  }
}

const controlModeListeners: ((on: boolean) => void)[] = [];
let controlModeOn = false;

/**
 * Runs `fn(on)` whenever this thread enters or leaves control mode. The hottest primitive methods
 * (Lock.acquireSync and release) carry no explorer check at all — even an untaken branch there costs
 * about a third of their speed — so they swap in their controlled versions while the thread may be
 * explored.
 */
export function onControlMode(fn: (on: boolean) => void): void {
  controlModeListeners.push(fn);
  if (controlModeOn) fn(true);
}

/**
 * Puts this thread in control mode (an exploration runs and this thread may take part: the main thread
 * for the whole exploration, a worker for each thread it runs while one does) or takes it out.
 */
export function setControlMode(on: boolean): void {
  if (on === controlModeOn) return;
  controlModeOn = on;
  for (const fn of controlModeListeners) fn(on);
}

/** True while a schedule is being explored (one plain read). */
export function exploring(): boolean {
  return gate[0] !== 0;
}

let cachedGen = -1;
let cachedIndex = -1;

/** This thread's participant index in the running schedule, or -1 when it is not controlled. */
export function participant(): number {
  if (ctl[ACTIVE] === 0) return -1;
  if (isMainThread) return 0;
  const gen = Atomics.load(ctl, GEN);
  if (gen === cachedGen) return cachedIndex;
  const me = currentIdent();
  let found = -1;
  const n = Atomics.load(ctl, NPART);
  for (let i = 1; i < n; i++) if (Atomics.load(ctl, PART_AT + i * PART_INTS + P_IDENT) === me) found = i;
  cachedGen = gen;
  cachedIndex = found;
  return found;
}

function at(i: number, field: number): number {
  return PART_AT + i * PART_INTS + field;
}

// ---------------------------------------------------------------- the driver's side (main thread)

/** Parameters of one schedule. */
export interface ScheduleParams {
  seed: number;
  strategy: number;
  depth: number;
  /** PCT's estimate of the number of steps (change points are drawn in 1..k). */
  k: number;
  /** Steps after which the schedule is ended as too long (a livelock or an endless loop of points). */
  limit: number;
}

/** Starts a schedule: the main thread is participant 0 and holds the token. */
export function beginSchedule(p: ScheduleParams): void {
  const gen = Atomics.load(ctl, GEN);
  ctl.fill(0, 0, LOG_AT);
  Atomics.store(ctl, GEN, gen);
  f64.fill(0);
  ctl[RNG] = p.seed >>> 0 || 0x9e3779b9;
  ctl[STRATEGY] = p.strategy;
  ctl[DEPTH] = p.depth;
  ctl[K] = Math.max(1, p.k);
  ctl[LIMIT] = p.limit;
  ctl[NEXT_LOW] = Math.max(1, p.depth - 1);
  const changes = Math.min(MAX_CHANGES, Math.max(0, p.depth - 1));
  for (let i = 0; i < changes; i++) ctl[CHANGES_AT + i] = 1 + (nextRandom() % ctl[K]!);
  ctl[NPART] = 1;
  addParticipant(0, 1);
  Atomics.store(ctl, GEN, (Atomics.load(ctl, GEN) + 1) | 0);
  Atomics.store(ctl, TOKEN, 0);
  Atomics.store(ctl, ACTIVE, 1);
}

/** Ends the schedule (or the exploration): every controlled thread still waiting throws `ScheduleAborted`. */
export function abortSchedule(): void {
  Atomics.store(ctl, ABORT, 1);
  wakeAll();
}

/** Turns control off: threads run freely again. */
export function endSchedule(): void {
  Atomics.store(ctl, ACTIVE, 0);
  wakeAll();
}

function wakeAll(): void {
  const n = Atomics.load(ctl, NPART);
  for (let i = 0; i < n; i++) {
    Atomics.add(ctl, at(i, P_SEQ), 1);
    Atomics.notify(ctl, at(i, P_SEQ));
  }
}

/** Registers a thread being started (main thread, holding the token); its index, or -1 when there is no room. */
export function registerThread(ident: number): number {
  if (ctl[ACTIVE] === 0 || ctl[ABORT] !== 0) return -1;
  const i = ctl[NPART]!;
  if (i >= MAX_PARTICIPANTS) {
    throw new SpindleError(
      `explore controls at most ${MAX_PARTICIPANTS - 1} threads per schedule; this code starts more.`,
      "ERR_SPINDLE_EXPLORE_TOO_MANY",
    );
  }
  addParticipant(i, ident);
  Atomics.store(ctl, NPART, i + 1);
  return i;
}

function addParticipant(i: number, ident: number): void {
  ctl[at(i, P_STATUS)] = Status.Runnable;
  ctl[at(i, P_IDENT)] = ident;
  // PCT: distinct random priorities above every priority a change point hands out.
  ctl[at(i, P_PRIO)] = ctl[DEPTH]! + 1 + (nextRandom() % 1_000_000);
  f64[F_DEADLINE + i] = Infinity;
}

/** What the schedule ended with, read by the driver. */
export function scheduleOutcome(): { failed: number; failer: number; steps: number; aborted: boolean } {
  return { failed: ctl[FAILED]!, failer: ctl[FAILER]!, steps: ctl[STEP]!, aborted: ctl[ABORT] !== 0 };
}

/** Marks the schedule failed by participant `who` (first failure wins) and ends it. */
export function failSchedule(kind: number, who: number): void {
  if (Atomics.compareExchange(ctl, FAILED, 0, kind) === 0) Atomics.store(ctl, FAILER, who);
  abortSchedule();
}

/** One logged step: who did what to which object. */
export interface LoggedStep {
  who: number;
  op: Op;
  prim: Prim;
  obj: number;
  aux: number;
  /** A label given by the step's maker (asyncio steps name their wait). */
  label?: string;
}

/** The steps of the schedule that just ran (at most `LOG_STEPS`). */
export function loggedSteps(): LoggedStep[] {
  const n = Math.min(ctl[STEP]!, LOG_STEPS);
  const out: LoggedStep[] = [];
  for (let s = 0; s < n; s++) {
    const b = LOG_AT + s * LOG_INTS;
    const packed = ctl[b + 1]!;
    out.push({
      who: ctl[b]!,
      op: (packed & 0xff) as Op,
      prim: (packed >> 8) as Prim,
      obj: ctl[b + 2]!,
      aux: ctl[b + 3]!,
    });
  }
  return out;
}

/** The idents of the participants (index 0 is the main thread). */
export function participantIdents(): number[] {
  const n = ctl[NPART]!;
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push(ctl[at(i, P_IDENT)]!);
  return out;
}

/** What each blocked participant waits on (for the deadlock report). */
export function blockedOn(): Array<{ who: number; prim: Prim; obj: number }> {
  const out: Array<{ who: number; prim: Prim; obj: number }> = [];
  const n = ctl[NPART]!;
  for (let i = 0; i < n; i++) {
    if (ctl[at(i, P_STATUS)] === Status.Blocked)
      out.push({ who: i, prim: ctl[at(i, P_PRIM)] as Prim, obj: ctl[at(i, P_OBJ)]! });
  }
  return out;
}

// ---------------------------------------------------------------- every thread's side

function nextRandom(): number {
  let x = ctl[RNG]! | 0;
  x ^= x << 13;
  x ^= x >>> 17;
  x ^= x << 5;
  ctl[RNG] = x;
  return x >>> 0;
}

function log(me: number, op: Op, prim: Prim, obj: number, aux: number): boolean {
  const s = ctl[STEP]!;
  if (s < LOG_STEPS) {
    const b = LOG_AT + s * LOG_INTS;
    ctl[b] = me;
    ctl[b + 1] = op | (prim << 8);
    ctl[b + 2] = obj;
    ctl[b + 3] = aux;
  }
  ctl[STEP] = s + 1;
  if (s + 1 > ctl[LIMIT]! && ctl[FAILED] === 0) {
    failSchedule(Fail.TooLong, me);
    return false;
  }
  // PCT: at a change point the running thread drops below every other.
  if (ctl[STRATEGY] === Strategy.Pct) {
    const changes = Math.min(MAX_CHANGES, Math.max(0, ctl[DEPTH]! - 1));
    for (let i = 0; i < changes; i++) {
      if (ctl[CHANGES_AT + i] === s + 1) ctl[at(me, P_PRIO)] = Math.max(0, ctl[NEXT_LOW]!--);
    }
  }
  return true;
}

function runnable(i: number): boolean {
  const st = ctl[at(i, P_STATUS)];
  if (st === Status.Runnable) return true;
  if (st !== Status.Blocked) return false;
  return ctl[at(i, P_BLOCK_VER)]! < ctl[VERSION]! || f64[F_DEADLINE + i]! <= f64[F_VTIME]!;
}

/** Chooses who runs next; -1 when every thread is blocked for good (a deadlock) or finished. */
function pick(): number {
  const n = ctl[NPART]!;
  for (;;) {
    let count = 0;
    let best = -1;
    for (let i = 0; i < n; i++) {
      if (!runnable(i)) continue;
      count++;
      if (best < 0 || ctl[at(i, P_PRIO)]! > ctl[at(best, P_PRIO)]!) best = i;
    }
    if (count > 0) {
      if (ctl[STRATEGY] === Strategy.Pct) return best;
      let r = nextRandom() % count;
      for (let i = 0; i < n; i++) if (runnable(i) && r-- === 0) return i;
    }
    // Nobody can run now: let virtual time jump to the earliest deadline (a sleep or a timed wait).
    let soonest = Infinity;
    for (let i = 0; i < n; i++)
      if (ctl[at(i, P_STATUS)] === Status.Blocked) soonest = Math.min(soonest, f64[F_DEADLINE + i]!);
    if (soonest === Infinity) return -1;
    f64[F_VTIME] = soonest;
  }
}

/** Gives the token to `next` (or ends the schedule as a deadlock when nobody can run). */
function handOff(me: number, next: number): void {
  if (next < 0 && ctl[SUSPECT] !== ctl[VERSION]) {
    // Before a deadlock verdict every blocked thread re-checks its condition once (a spurious wake-up, which
    // every wait loop allows): only if all block again with no state change in between is it a deadlock.
    ctl[SUSPECT] = Atomics.add(ctl, VERSION, 1) + 1;
    next = pick();
  }
  if (next < 0) {
    const anyAlive = anyUnfinished();
    if (anyAlive) {
      // Deadlock: wake only the main thread, which reads the wait-for graph before the others unwind.
      if (Atomics.compareExchange(ctl, FAILED, 0, Fail.Deadlock) === 0) Atomics.store(ctl, FAILER, me);
      give(0);
    }
    return;
  }
  if (ctl[at(next, P_STATUS)] === Status.Blocked) ctl[at(next, P_STATUS)] = Status.Runnable;
  give(next);
}

function anyUnfinished(): boolean {
  const n = ctl[NPART]!;
  for (let i = 0; i < n; i++) if (ctl[at(i, P_STATUS)] !== Status.Finished) return true;
  return false;
}

function give(next: number): void {
  Atomics.store(ctl, TOKEN, next);
  Atomics.add(ctl, at(next, P_SEQ), 1);
  Atomics.notify(ctl, at(next, P_SEQ));
}

/** Blocks this worker until it holds the token again; throws `ScheduleAborted` when the schedule ended. */
function awaitTurnSync(me: number): void {
  const seqAt = at(me, P_SEQ);
  for (;;) {
    const seq = Atomics.load(ctl, seqAt);
    if (Atomics.load(ctl, ABORT) !== 0 || Atomics.load(ctl, ACTIVE) === 0) throw new ScheduleAborted();
    if (Atomics.load(ctl, TOKEN) === me && Atomics.load(ctl, FAILED) === 0) return;
    Atomics.wait(ctl, seqAt, seq, 1000);
  }
}

type AsyncWaiter = (arr: Int32Array, index: number, value: number, deadline: number) => Promise<boolean>;

/** The main thread's wait for the token (awaitable: its event loop must go on); throws when the schedule ended. */
async function awaitTurnAsync(waitAsync: AsyncWaiter): Promise<void> {
  const seqAt = at(0, P_SEQ);
  for (;;) {
    const seq = Atomics.load(ctl, seqAt);
    if (Atomics.load(ctl, ABORT) !== 0 || Atomics.load(ctl, ACTIVE) === 0 || Atomics.load(ctl, FAILED) !== 0)
      throw new ScheduleAborted();
    if (Atomics.load(ctl, TOKEN) === 0) return;
    await waitAsync(ctl, seqAt, seq, Infinity);
  }
}

/** A schedule point: logs the step and lets the strategy switch threads (workers); on the main thread it only logs. */
export function point(op: Op, prim: Prim, obj: number, aux = 0): void {
  const me = participant();
  if (me < 0) return;
  if (Atomics.load(ctl, ABORT) !== 0) throw new ScheduleAborted();
  if (Atomics.load(ctl, TOKEN) !== me) return; // a main-thread strand running while the token is away
  if (!log(me, op, prim, obj, aux)) throw new ScheduleAborted();
  if (isMainThread) return;
  const next = pick();
  if (next === me) return;
  handOff(me, next);
  awaitTurnSync(me);
}

/** The main thread's schedule point before an awaited operation: it may give the token away and wait for it. */
export async function pointAsync(op: Op, prim: Prim, obj: number, waitAsync: AsyncWaiter, aux = 0): Promise<void> {
  const me = participant();
  if (me !== 0) return point(op, prim, obj, aux);
  if (Atomics.load(ctl, ABORT) !== 0) throw new ScheduleAborted();
  if (Atomics.load(ctl, TOKEN) !== 0) return awaitTurnAsync(waitAsync);
  if (!log(0, op, prim, obj, aux)) throw new ScheduleAborted();
  const next = pick();
  if (next === 0) return;
  handOff(0, next);
  await awaitTurnAsync(waitAsync);
}

/** Records what the blocked thread waits on (for the deadlock report). */
function markBlocked(me: number, deadline: number, prim: Prim, obj: number, byVersion = true): void {
  ctl[at(me, P_STATUS)] = Status.Blocked;
  ctl[at(me, P_BLOCK_VER)] = byVersion ? ctl[VERSION]! : 0x7fffffff; // a sleeper wakes only when its time comes
  ctl[at(me, P_PRIM)] = prim;
  ctl[at(me, P_OBJ)] = obj;
  f64[F_DEADLINE + me] = deadline;
}

/**
 * A worker's wait on a futex word while controlled: gives the token away until woken or until virtual time
 * passes `deadline` (virtual ms). Returns false on timeout, like a real wait.
 */
export function blockSync(me: number, deadline: number, prim: Prim, obj: number): boolean {
  if (Atomics.load(ctl, TOKEN) !== me) {
    awaitTurnSync(me);
    return true;
  }
  if (!log(me, Op.Block, prim, obj, 0)) throw new ScheduleAborted();
  markBlocked(me, deadline, prim, obj);
  handOff(me, pick());
  awaitTurnSync(me);
  return woke(me, deadline, prim, obj);
}

/** The main thread's wait on a futex word while controlled (see `blockSync`). */
export async function blockAsync(deadline: number, prim: Prim, obj: number, waitAsync: AsyncWaiter): Promise<boolean> {
  if (Atomics.load(ctl, TOKEN) !== 0) {
    await awaitTurnAsync(waitAsync);
    return f64[F_VTIME]! < deadline;
  }
  if (!log(0, Op.Block, prim, obj, 0)) throw new ScheduleAborted();
  markBlocked(0, deadline, prim, obj);
  handOff(0, pick());
  await awaitTurnAsync(waitAsync);
  return woke(0, deadline, prim, obj);
}

function woke(me: number, deadline: number, prim: Prim, obj: number): boolean {
  ctl[at(me, P_STATUS)] = Status.Runnable;
  f64[F_DEADLINE + me] = Infinity;
  const timedOut = f64[F_VTIME]! >= deadline;
  log(me, timedOut ? Op.Timeout : Op.Wake, prim, obj, 0);
  return !timedOut;
}

/** Some waiters may now go on (a release, set, notify, put, get, a thread's end): blocked threads retry. */
export function stateChanged(): void {
  if (ctl[ACTIVE] !== 0) Atomics.add(ctl, VERSION, 1);
}

/** Virtual time in ms while exploring (sleeps and timeouts use it instead of the clock). */
export function virtualNow(): number {
  return f64[F_VTIME]!;
}

/** A worker thread's first step: waits for its first turn. False when the thread is not controlled. */
export function enterThread(): boolean {
  const me = participant();
  if (me < 0) return false;
  awaitTurnSync(me);
  log(me, Op.Begin, Prim.Thread, me, 0);
  return true;
}

/** A controlled worker thread ends (holding the token): a failure ends the schedule, else the next runs. */
export function exitThread(failed: boolean): void {
  const me = participant();
  if (me < 0) return;
  ctl[at(me, P_STATUS)] = Status.Finished;
  if (Atomics.load(ctl, ABORT) !== 0) return;
  if (Atomics.load(ctl, TOKEN) !== me) return;
  log(me, Op.End, Prim.Thread, me, failed ? 1 : 0);
  Atomics.add(ctl, VERSION, 1); // joiners
  if (failed) {
    failSchedule(Fail.Error, me);
    return;
  }
  handOff(me, pick());
}

/** The main thread's `fn` returned: it waits (as a blocked participant) for every thread of the schedule. */
export function unfinishedThreads(): boolean {
  const n = ctl[NPART]!;
  for (let i = 1; i < n; i++) if (ctl[at(i, P_STATUS)] !== Status.Finished) return true;
  return false;
}

/** A controlled sleep: the thread waits until virtual time reaches now + `ms` (time jumps when all wait). */
export function sleepSync(me: number, ms: number): void {
  if (Atomics.load(ctl, TOKEN) !== me) {
    awaitTurnSync(me);
    return;
  }
  if (!log(me, Op.Sleep, Prim.Time, Math.round(ms), 0)) throw new ScheduleAborted();
  const deadline = f64[F_VTIME]! + ms;
  markBlocked(me, deadline, Prim.Time, 0, false);
  handOff(me, pick());
  awaitTurnSync(me);
  woke(me, deadline, Prim.Time, 0);
}

/** The main thread's controlled sleep (see `sleepSync`). */
export async function sleepAsync(ms: number, waitAsync: AsyncWaiter): Promise<void> {
  if (Atomics.load(ctl, TOKEN) !== 0) return awaitTurnAsync(waitAsync);
  if (!log(0, Op.Sleep, Prim.Time, Math.round(ms), 0)) throw new ScheduleAborted();
  const deadline = f64[F_VTIME]! + ms;
  markBlocked(0, deadline, Prim.Time, 0, false);
  handOff(0, pick());
  await awaitTurnAsync(waitAsync);
  woke(0, deadline, Prim.Time, 0);
}
