/**
 * The timeline recorder that Spindle's primitives call: threads, processes,
 * locks, semaphores, events, queues, sleeps and async tasks report what they
 * do, and `timeline()` / `%%timeline` turn it into a chart.
 *
 * Off by default. When off, every call costs one shared-memory read. When on,
 * an event costs a clock read and a few shared-memory writes, and each thread
 * stores at most `PER_THREAD_LIMIT` (5,000) ordinary events per recording (starts
 * and ends always), so a million-iteration lock loop stays cheap and the chart
 * stays readable (it is 700 pixels wide).
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
  bufferEnabled, countLimited, generation, nextSpanId, sharedBuffer, storeString, writeEvent,
  type EventKind, type SharedTimelineBuffer,
} from "./recorder-buffer";

export type { EventKind, RawEvent } from "./recorder-buffer";

/** Ordinary events (not start/end) one thread stores per recording before it only counts them. */
export const PER_THREAD_LIMIT = 5_000;

const buffer: SharedTimelineBuffer = sharedBuffer();
const laneStorage = new AsyncLocalStorage<string>();
let threadLane = isMainThread ? "MainThread" : `Thread-${threadId}`;

// The getter recomputes each time; the origin of this thread never changes.
const ORIGIN = performance.timeOrigin;

// Per-thread state for the current generation.
let seenGen = -1;
let stored = 0;
let skipped = 0;
let unpublished = 0; // skipped events not yet added to the shared count
let interned = new Map<string, number>();
const PUBLISH_EVERY = 256;
// The generation in which this thread reached its limit: from then on events are only counted.
let saturatedGen = -1;

/** True while a timeline is being recorded in this process (one shared-memory read; call it freely). */
export function isRecording(): boolean {
  return bufferEnabled(buffer);
}

/** Names the lane (chart row) this thread's events go to when no task lane applies, e.g. "Thread-1". */
export function setThreadLane(name: string): void {
  threadLane = name;
}

/** Runs `fn` (and everything asynchronous it starts) with its events in lane `lane` (an async task's name). */
export function withLane<T>(lane: string, fn: () => T): T {
  return laneStorage.run(lane, fn);
}

/** The lane events recorded here and now go to. */
export function currentLane(): string {
  return laneStorage.getStore() ?? threadLane;
}

/** Records an instant event (`start`, `end`, `acquire`, `release`, `mark`, `put`, `get`, `set`, `notify`). */
export function recordEvent(kind: EventKind, what?: string, lane?: string): void {
  if (!bufferEnabled(buffer)) return;
  write(kind, what, lane, 0);
}

/** Records the start of a wait (hatched on the chart) or a sleep; returns the span id, 0 when not recording. */
export function beginSpan(kind: "wait" | "sleep", what?: string, lane?: string): number {
  if (!bufferEnabled(buffer)) return 0;
  const span = nextSpanId(buffer);
  return write(kind, what, lane, span) ? span : 0;
}

/** Ends the span `span` from `beginSpan` with what ended it (`acquire`, `wake`, `timeout`, `get`, `put`, `set`). */
export function endSpan(span: number, outcome: EventKind, what?: string, lane?: string): void {
  if (span === 0 || !bufferEnabled(buffer)) return;
  write(outcome, what, lane, span, true);
}

/**
 * False once this thread has stored its limit of ordinary events in the current recording (or when
 * nothing is recorded): callers with costly bookkeeping per event skip it and call `countSkipped()`.
 */
export function canStore(): boolean {
  if (!bufferEnabled(buffer)) return false;
  const gen = generation(buffer);
  if (gen !== seenGen || stored < PER_THREAD_LIMIT) return true;
  saturatedGen = gen;
  return false;
}

/**
 * The cheapest path for a busy loop: true (and the event counted) when this thread has already
 * reached its limit in the recording under way. One shared-memory read.
 */
export function skipWhenSaturated(): boolean {
  if (saturatedGen !== generation(buffer)) return false;
  skipped++;
  if (++unpublished >= PUBLISH_EVERY) publishSkipped();
  return true;
}

/** Counts an event that was not stored because this thread reached its limit (published in batches). */
export function countSkipped(): void {
  skipped++;
  if (++unpublished >= PUBLISH_EVERY) publishSkipped();
}

/** Adds this thread's not yet published skipped events to the shared count (also done at each start/end). */
export function publishSkipped(): void {
  if (unpublished > 0 && generation(buffer) === seenGen) countLimited(buffer, unpublished);
  unpublished = 0;
}

/** Records a labelled marker in the current lane (shown as a tick on the chart). */
export function mark(label: string): void {
  recordEvent("mark", label);
}

function write(kind: EventKind, what: string | undefined, lane: string | undefined, span: number, force = false): boolean {
  const gen = generation(buffer);
  if (gen !== seenGen) {
    seenGen = gen;
    stored = 0;
    skipped = 0;
    unpublished = 0;
    interned = new Map();
  }
  const lifecycle = kind === "start" || kind === "end";
  if (!lifecycle && !force && stored >= PER_THREAD_LIMIT) {
    saturatedGen = gen;
    countSkipped();
    return false;
  }
  if (lifecycle) publishSkipped();
  stored++;
  const t = ORIGIN + performance.now();
  return writeEvent(buffer, gen, t, kind, intern(lane ?? currentLane()), what === undefined ? 0 : intern(what), span);
}

function intern(text: string): number {
  let ref = interned.get(text);
  if (ref === undefined) {
    ref = storeString(buffer, text);
    interned.set(text, ref);
  }
  return ref;
}

/** How many events this thread counted but did not store in the current recording (over the limit). */
export function skippedInThisThread(): number {
  return generation(buffer) === seenGen ? skipped : 0;
}

/** This process's shared buffer (for the recording session and the child-process link). */
export function processBuffer(): SharedTimelineBuffer {
  return buffer;
}
