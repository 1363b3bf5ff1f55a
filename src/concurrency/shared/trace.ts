/**
 * The one place every primitive reports what it does (acquire, release, wait,
 * wake, set, notify), for timeline recording. Nothing is reported unless a
 * timeline records, and the check costs one shared-memory read per operation.
 */

import {
  beginSpan,
  endSpan,
  isRecording,
  mustRecord,
  recordEvent,
  setThreadLane,
  storeEvent,
  withLane,
  type EventKind,
} from "../../recorder/record";
import { labelOf as bridgeLabelOf, type PrimitiveTraceKind, traceToTimeline } from "../../recorder/trace-bridge";

/**
 * The name a primitive is shown by on a timeline. A function of this module, not a re-export: a
 * re-export is an accessor on the compiled module object, which leaves it slow to read from the
 * primitives' hot paths (measured: uncontended Lock 36 vs 50 M/s).
 */
export function labelOf(primitive: string, id: number): string {
  return bridgeLabelOf(primitive, id);
}

/** What happened (the recorder, the lower layer, owns the list: it turns each kind into timeline events). */
export type TraceKind = PrimitiveTraceKind;

/**
 * True when an event must be reported with `report()`: a timeline is being recorded and this thread is
 * not past its limit (then the event is counted here instead). Small enough to inline into a lock's
 * fast path: one shared-memory read when nothing records.
 */
export function shouldTrace(): boolean {
  return mustRecord();
}

/** Reports one event that `shouldTrace()` let through to the timeline recorder. */
export function report(kind: TraceKind, primitive: string, id: number): void {
  if (primitive !== "") reportLabelled(kind, bridgeLabelOf(primitive, id)); // "": an internal lock
}

/** `report()` for a primitive that keeps its chart label ("Lock-3") at hand. */
export function reportLabelled(kind: TraceKind, label: string): void {
  if (isRecording()) traceToTimeline(kind, label);
}

/**
 * Reports a lock taken without waiting, or released, straight to the recorder: no wait of this lane can
 * be open on it (a lane that waited reports its acquire with `reportLabelled`, which ends the wait).
 */
export function reportHold(event: "acquire" | "release", label: string): void {
  storeEvent(event, label);
}

/** Reports one event when it must be (`shouldTrace()`, then `report()`). */
export function trace(kind: TraceKind, primitive: string, id: number): void {
  if (shouldTrace()) report(kind, primitive, id);
}

/** True while a timeline records (for work done only then, like naming a wait). */
export function tracing(): boolean {
  return isRecording();
}

/**
 * Opens a wait (hatched) or sleep (dotted) on the current lane for something that is not a primitive with
 * an id (a join, a sleep, an async task's await); returns the span to close with `traceSpanEnd` (0: none).
 */
export function traceSpan(kind: "wait" | "sleep", what: string): number {
  return beginSpan(kind, what);
}

/** Closes a span from `traceSpan` with what ended it. */
export function traceSpanEnd(span: number, outcome: EventKind, what?: string): void {
  endSpan(span, outcome, what);
}

/** A thread's or task's life on its lane: `start` and `end` are always stored while recording. */
export function traceLife(kind: "start" | "end", lane?: string): void {
  recordEvent(kind, lane);
}

/** Names this thread's row on a recorded timeline (a worker, once per thread it runs). */
export function traceThreadLane(name: string): void {
  setThreadLane(name);
}

/** Runs `fn` with its events on the lane `name` (an async task's row). */
export function withTraceLane<T>(name: string, fn: () => T): T {
  return withLane(name, fn);
}
