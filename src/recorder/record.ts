/**
 * The timeline recorder that Spindle's primitives call: threads, processes,
 * locks, semaphores, events, queues, sleeps and async tasks report what they
 * do, and `timeline()` / `%%timeline` turn it into a chart.
 *
 * Off by default. When off, every call costs one plain shared-memory read. When on, an event costs a
 * clock read and a few shared-memory writes, and each thread stores at most `PER_THREAD_LIMIT` (5,000)
 * ordinary events per recording (starts and ends always); past it, events are only counted, and in
 * batches: the gate (`mustRecord`) lets a thread skip `SKIP_BATCH` events with a decrement each and
 * adds them up when the batch runs out. So a million-iteration lock loop pays a few loads per
 * acquire/release while recorded, and the chart stays readable (it is 700 pixels wide).
 *
 * Usage inside a primitive:
 * ```ts
 * if (isRecording()) recordEvent("acquire", this.name);
 * const span = beginSpan("wait", this.name);   // 0 when not recording
 * … block …
 * endSpan(span, gotIt ? "acquire" : "timeout", this.name);
 * ```
 */
import { AsyncLocalStorage } from "node:async_hooks";
import { isMainThread, threadId } from "node:worker_threads";
import {
  bufferEnabled,
  countLimited,
  generation,
  H_ENABLED,
  nextSpanId,
  sharedBuffer,
  storeString,
  writeEvent,
  type EventKind,
  type SharedTimelineBuffer,
} from "./buffer";
import { clockMs } from "./clock";

export type { EventKind, RawEvent } from "./buffer";

/** Ordinary events (not start/end) one thread stores per recording before it only counts them. */
export const PER_THREAD_LIMIT = 5_000;
/** Events a thread past its limit skips with one decrement each before adding them to its count. */
const SKIP_BATCH = 256;

const buffer: SharedTimelineBuffer = sharedBuffer();
const flags = buffer.header;
const laneStorage = new AsyncLocalStorage<string>();
// Until a task lane is used in this thread, the lane is the thread's and the store need not be asked.
let lanesUsed = false;
let threadLane = isMainThread ? "MainThread" : `Thread-${threadId}`;

// Per-thread state for the current generation.
let seenGen = -1;
let stored = 0;
let skipped = 0;
let unpublished = 0; // skipped events not yet added to the shared count
let interned = new Map<string, number>();
// Bulk counting past the limit: armed for generation COUNTING_GEN, with QUOTA skips left in the batch.
// A typed array, not two `let`s: the gate's decrement is then a plain store the JIT keeps inline.
const COUNTING_GEN = 0;
const QUOTA = 1;
const counting = new Int32Array([-1, 0]) as Int32Array & Record<typeof COUNTING_GEN | typeof QUOTA, number>;
let countingAllowed: () => boolean = () => true;

/** True while a timeline is being recorded in this process (one shared-memory read; call it freely). */
export function isRecording(): boolean {
  return bufferEnabled(buffer);
}

/**
 * The gate in front of every ordinary event: false when nothing records, or when this thread is past
 * its limit and the event is only to be counted (counted here). True: report the event.
 */
export function mustRecord(): boolean {
  const on = flags[H_ENABLED]; // the generation recorded, 0: off
  if (on === 0) return false;
  return counting[COUNTING_GEN] !== on || --counting[QUOTA] < 0;
}

/** Makes bulk counting wait while `allowed()` is false (the trace bridge: while a wait it must close is open). */
export function setCountingGuard(allowed: () => boolean): void {
  countingAllowed = allowed;
}

/** Names the lane (chart row) this thread's events go to when no task lane applies, e.g. "Thread-1". */
export function setThreadLane(name: string): void {
  threadLane = name;
}

/** Runs `fn` (and everything asynchronous it starts) with its events in lane `lane` (an async task's name). */
export function withLane<T>(lane: string, fn: () => T): T {
  lanesUsed = true;
  return laneStorage.run(lane, fn);
}

/** The lane events recorded here and now go to. */
export function currentLane(): string {
  return lanesUsed ? (laneStorage.getStore() ?? threadLane) : threadLane;
}

/** Records an instant event (`start`, `end`, `acquire`, `release`, `mark`, `put`, `get`, `set`, `notify`). */
export function recordEvent(kind: EventKind, what?: string, lane?: string): void {
  if (kind === "start" || kind === "end" ? bufferEnabled(buffer) : mustRecord()) write(kind, what, lane, 0);
}

/** Records the start of a wait (hatched on the chart) or a sleep; returns the span id, 0 when not recording. */
export function beginSpan(kind: "wait" | "sleep", what?: string, lane?: string): number {
  return mustRecord() ? storeSpan(kind, what, lane) : 0;
}

/** Ends the span `span` from `beginSpan` with what ended it (`acquire`, `wake`, `timeout`, `get`, `put`, `set`). */
export function endSpan(span: number, outcome: EventKind, what?: string, lane?: string): void {
  if (span === 0 || !bufferEnabled(buffer)) return;
  write(outcome, what, lane, span, true);
}

/** @internal An instant event that already passed `mustRecord()`. */
export function storeEvent(kind: EventKind, what?: string): void {
  write(kind, what, undefined, 0);
}

/** @internal Starts a span for an event that already passed `mustRecord()`; the span id, or 0. */
export function storeSpan(kind: "wait" | "sleep", what?: string, lane?: string): number {
  if (!bufferEnabled(buffer)) return 0;
  const span = nextSpanId(buffer);
  return write(kind, what, lane, span) ? span : 0;
}

/** Adds this thread's not yet published skipped events to the shared count (also done at each start/end). */
export function publishSkipped(): void {
  takeBatch();
  if (unpublished > 0 && generation(buffer) === seenGen) countLimited(buffer, unpublished);
  unpublished = 0;
}

/** Records a labelled marker in the current lane (shown as a tick on the chart). */
export function mark(label: string): void {
  recordEvent("mark", label);
}

/** How many events this thread counted but did not store in the current recording (over the limit). */
export function skippedInThisThread(): number {
  takeBatch();
  return generation(buffer) === seenGen ? skipped : 0;
}

/** This process's shared buffer (for the recording session and the child-process link). */
export function processBuffer(): SharedTimelineBuffer {
  return buffer;
}

/** The last string interned for one role: a lock loop stores one lane and one label over and over. */
class LastInterned {
  #text = "";
  #ref = 0;

  /** The interned reference of `text`, from the map only when it differs from the last one. */
  ref(text: string): number {
    if (text !== this.#text || this.#ref === 0) {
      this.#ref = intern(text);
      this.#text = text;
    }
    return this.#ref;
  }

  /** Drops the remembered reference (a new recording interns afresh). */
  forget(): void {
    this.#ref = 0;
  }
}

const lastLane = new LastInterned();
const lastWhat = new LastInterned();

function write(
  kind: EventKind,
  what: string | undefined,
  lane: string | undefined,
  span: number,
  force = false,
): boolean {
  const gen = generation(buffer);
  if (gen !== seenGen) {
    seenGen = gen;
    stored = 0;
    skipped = 0;
    unpublished = 0;
    interned = new Map();
    lastLane.forget();
    lastWhat.forget();
    counting[COUNTING_GEN] = -1;
  }
  const lifecycle = kind === "start" || kind === "end";
  if (!lifecycle && !force && stored >= PER_THREAD_LIMIT) {
    countPastLimit(gen);
    return false;
  }
  if (lifecycle) publishSkipped();
  stored++;
  return writeEvent(
    buffer,
    gen,
    clockMs(),
    kind,
    lastLane.ref(lane ?? currentLane()),
    what === undefined ? 0 : lastWhat.ref(what),
    span,
  );
}

/** Counts one event past the limit, plus the batch the gate skipped since the last visit, and re-arms the gate. */
function countPastLimit(gen: number): void {
  takeBatch();
  skipped++;
  unpublished++;
  counting[COUNTING_GEN] = countingAllowed() ? gen : -1;
  counting[QUOTA] = SKIP_BATCH;
  if (unpublished >= SKIP_BATCH) publishSkipped();
}

/** Moves the events the gate skipped in the current batch into the counts. */
function takeBatch(): void {
  if (counting[COUNTING_GEN] !== seenGen) return;
  const n = SKIP_BATCH - Math.max(counting[QUOTA] as number, 0);
  skipped += n;
  unpublished += n;
  counting[QUOTA] = SKIP_BATCH;
}

function intern(text: string): number {
  let ref = interned.get(text);
  if (ref === undefined) {
    ref = storeString(buffer, text);
    interned.set(text, ref);
  }
  return ref;
}
