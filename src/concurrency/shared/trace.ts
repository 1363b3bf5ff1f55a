/**
 * The one place every primitive reports what it does (acquire, release, wait,
 * wake, set, notify), for timeline recording. Nothing is reported unless a
 * timeline records, and the check costs one shared-memory read per operation.
 */

/** What happened. */
export type TraceKind =
  | "acquire-wait"
  | "acquired"
  | "acquire-timeout"
  | "released"
  | "wait"
  | "woke"
  | "wait-timeout"
  | "notify"
  | "set"
  | "clear"
  | "put"
  | "get"
  | "broken";

import { isRecording, mustRecord, storeEvent } from "../../recorder/record";
import { labelOf, traceToTimeline } from "../../recorder/trace-bridge";

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
  if (primitive !== "") reportLabelled(kind, labelOf(primitive, id)); // "": an internal lock
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
