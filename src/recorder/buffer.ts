/**
 * The shared-memory event buffer behind the timeline recorder.
 *
 * One buffer per process, made by its main thread and handed to every worker
 * thread through `worker_threads.setEnvironmentData` (cloned into each new
 * Worker, so no thread code has to pass it along). Threads append fixed-size
 * records with one `Atomics.add`; nothing waits on an event loop, so a thread
 * spinning in a blocking loop still records, and its events are readable the
 * moment it writes them. Strings (lane names, labels) go to a bump-allocated
 * string area, interned per thread.
 */
import { getEnvironmentData, isMainThread, setEnvironmentData } from "node:worker_threads";

/** Event kinds, by their code in the buffer. */
export const EVENT_KINDS = [
  "start",
  "end",
  "wait",
  "acquire",
  "release",
  "sleep",
  "wake",
  "timeout",
  "mark",
  "put",
  "get",
  "set",
  "notify",
] as const;

/** One kind of timeline event. */
export type EventKind = (typeof EVENT_KINDS)[number];

/** One recorded event, as read back from the buffer. */
export interface RawEvent {
  /** Milliseconds since the Unix epoch, sub-millisecond precision (the same clock in every thread and process). */
  t: number;
  kind: EventKind;
  lane: string;
  /** What the event is about: a lock's name, a queue, a mark's label. */
  what?: string;
  /** Joins the begin of a wait/sleep span to its end (0: not part of a span). */
  span: number;
  /** Process id of the recording process. */
  pid: number;
}

const KIND_CODE = Object.fromEntries(EVENT_KINDS.map((k, i) => [k, i])) as Record<EventKind, number>;

// Header slots (Int32).
/**
 * Header slot holding the generation being recorded, 0 when off: one plain load on every primitive's
 * fast path tells both whether to record and which recording it is.
 */
export const H_ENABLED = 0;
const H_GEN = 1; // recording generation
// The counters every storing thread bumps live a cache line (64 bytes) away from the two slots above,
// which every primitive reads: sharing a line, each stored event would cost the other threads' reads
// a cache miss.
const H_NEXT = 16; // next event index to allocate
const H_STR = 17; // next free string-area slot
const H_SPAN = 18; // span id counter
const H_DROPPED = 19; // events lost because the buffer was full
const H_LIMITED = 20; // events not stored because a thread reached its per-recording limit
const HEADER_INTS = 32;

const EVENT_INTS = 8; // [t: f64 (2 ints)] kind lane what span gen commit
/** How many events one recording can hold per process. */
export const EVENT_CAPACITY = 1 << 16;
const STRING_CAPACITY = 1 << 19; // UTF-16 code units

const ENV_KEY = "spindle:timeline-buffer";

/** The typed views over one process's shared buffer. */
export interface SharedTimelineBuffer {
  readonly header: Int32Array;
  readonly ints: Int32Array;
  readonly floats: Float64Array;
  readonly chars: Uint16Array;
}

function makeViews(sab: SharedArrayBuffer): SharedTimelineBuffer {
  const headerBytes = HEADER_INTS * 4;
  const eventBytes = EVENT_CAPACITY * EVENT_INTS * 4;
  return {
    header: new Int32Array(sab, 0, HEADER_INTS),
    ints: new Int32Array(sab, headerBytes, EVENT_CAPACITY * EVENT_INTS),
    floats: new Float64Array(sab, headerBytes, EVENT_CAPACITY * (EVENT_INTS / 2)),
    chars: new Uint16Array(sab, headerBytes + eventBytes, STRING_CAPACITY),
  };
}

/** This thread's view of its process's buffer (created by the main thread on first use). */
export function sharedBuffer(): SharedTimelineBuffer {
  if (views) return views;
  let sab = getEnvironmentData(ENV_KEY) as SharedArrayBuffer | undefined;
  if (!(sab instanceof SharedArrayBuffer)) {
    sab = new SharedArrayBuffer(HEADER_INTS * 4 + EVENT_CAPACITY * EVENT_INTS * 4 + STRING_CAPACITY * 2);
    // Only the main thread publishes: a worker that somehow lacks the buffer records into a private one.
    if (isMainThread) setEnvironmentData(ENV_KEY, sab);
  }
  views = makeViews(sab);
  return views;
}
let views: SharedTimelineBuffer | undefined;

/** True while this process records (one plain shared-memory read). */
export function bufferEnabled(b: SharedTimelineBuffer): boolean {
  return b.header[H_ENABLED] !== 0;
}

/** Starts a new recording generation in this process: clears the buffer and turns recording on. */
export function beginGeneration(b: SharedTimelineBuffer): number {
  Atomics.store(b.header, H_ENABLED, 0);
  const gen = Atomics.add(b.header, H_GEN, 1) + 1;
  Atomics.store(b.header, H_NEXT, 0);
  Atomics.store(b.header, H_STR, 0);
  Atomics.store(b.header, H_DROPPED, 0);
  Atomics.store(b.header, H_LIMITED, 0);
  Atomics.store(b.header, H_ENABLED, gen);
  return gen;
}

/** Turns recording off (events already written stay readable). */
export function stopRecording(b: SharedTimelineBuffer): void {
  Atomics.store(b.header, H_ENABLED, 0);
}

/** Counts `n` events a thread did not store because it reached its per-recording limit. */
export function countLimited(b: SharedTimelineBuffer, n = 1): void {
  Atomics.add(b.header, H_LIMITED, n);
}

/** A fresh span id, unique within this process. */
export function nextSpanId(b: SharedTimelineBuffer): number {
  return Atomics.add(b.header, H_SPAN, 1) + 1;
}

/** The generation being recorded now. */
export function generation(b: SharedTimelineBuffer): number {
  return b.header[H_GEN] ?? 0;
}

/** Stores `text` in the string area and returns its reference (0 when the area is full). */
export function storeString(b: SharedTimelineBuffer, text: string): number {
  const len = Math.min(text.length, 200);
  const at = Atomics.add(b.header, H_STR, len + 1);
  if (at + len + 1 > STRING_CAPACITY) return 0;
  b.chars[at] = len;
  for (let i = 0; i < len; i++) b.chars[at + 1 + i] = text.charCodeAt(i);
  return at + 1;
}

function loadString(b: SharedTimelineBuffer, ref: number): string | undefined {
  if (ref <= 0) return undefined;
  const len = b.chars[ref - 1] ?? 0;
  return String.fromCharCode(...b.chars.subarray(ref, ref + len));
}

/** Appends one event; returns false when the buffer is full (the event is counted as dropped). */
export function writeEvent(
  b: SharedTimelineBuffer,
  gen: number,
  t: number,
  kind: EventKind,
  laneRef: number,
  whatRef: number,
  span: number,
): boolean {
  const i = Atomics.add(b.header, H_NEXT, 1);
  if (i >= EVENT_CAPACITY) {
    Atomics.add(b.header, H_DROPPED, 1);
    return false;
  }
  const base = i * EVENT_INTS;
  b.floats[base / 2] = t;
  b.ints[base + 2] = KIND_CODE[kind] ?? 8;
  b.ints[base + 3] = laneRef;
  b.ints[base + 4] = whatRef;
  b.ints[base + 5] = span;
  b.ints[base + 6] = gen;
  Atomics.store(b.ints, base + 7, gen); // commit marker: the record is complete for this generation
  return true;
}

/**
 * Reads the committed events of generation `gen` from index `from`; returns them and the next index.
 * `final`: recording is over, so a record still being written is waited for (briefly) instead of deferred.
 */
export function readEvents(
  b: SharedTimelineBuffer,
  gen: number,
  from = 0,
  final = false,
): { events: RawEvent[]; next: number; dropped: number; limited: number } {
  const end = Math.min(Atomics.load(b.header, H_NEXT), EVENT_CAPACITY);
  const events: RawEvent[] = [];
  const strings = new Map<number, string | undefined>();
  const str = (ref: number): string | undefined => {
    if (strings.has(ref)) return strings.get(ref);
    const text = loadString(b, ref);
    strings.set(ref, text);
    return text;
  };
  let i = from;
  for (; i < end; i++) {
    const base = i * EVENT_INTS;
    if (Atomics.load(b.ints, base + 7) !== gen) {
      if (!final) break; // allocated but not yet written: read it next time
      const deadline = performance.now() + 5;
      while (Atomics.load(b.ints, base + 7) !== gen && performance.now() < deadline) {
        /* a writer is mid-record */
      }
      if (Atomics.load(b.ints, base + 7) !== gen) continue;
    }
    events.push({
      t: b.floats[base / 2] ?? 0,
      kind: EVENT_KINDS[b.ints[base + 2] ?? 8] ?? "mark",
      lane: str(b.ints[base + 3] ?? 0) ?? "?",
      what: str(b.ints[base + 4] ?? 0),
      span: b.ints[base + 5] ?? 0,
      pid: process.pid,
    });
  }
  return { events, next: i, dropped: Atomics.load(b.header, H_DROPPED), limited: Atomics.load(b.header, H_LIMITED) };
}
