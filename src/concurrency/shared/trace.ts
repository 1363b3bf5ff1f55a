/**
 * The one place every primitive reports what it does (acquire, release, wait,
 * wake, set, notify), for timeline recording. Nothing is recorded unless a
 * hook is installed, and the check costs one comparison per operation.
 * A hook installed on the main thread sees main-thread events; a worker sees
 * its own (the timing module decides how to collect them).
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

/** One event of one primitive. */
export interface TraceEvent {
  kind: TraceKind;
  /** "Lock", "RLock", "Semaphore", "Event", "Condition", "Barrier", "Queue". */
  primitive: string;
  /** The primitive's id (lock ids are unique across threads). */
  id: number;
  /** Ident of the thread it happened on. */
  thread: number;
  /** `performance.timeOrigin + performance.now()`, in ms. */
  time: number;
}

/** Receives trace events. */
export type TraceHook = (event: TraceEvent) => void;

import { isRecording } from "../../timing/recorder";
import { traceToTimeline } from "../../timing/trace-bridge";

let hook: TraceHook | undefined;

/** Installs (or, with undefined, removes) the trace hook of this thread. */
export function setTraceHook(fn: TraceHook | undefined): void {
  hook = fn;
}

/** True when a hook is installed or a timeline is being recorded (callers skip building events otherwise). */
export function tracing(): boolean {
  return hook !== undefined || isRecording();
}

/** Reports one event to the hook, if any, and to the timeline recorder (one shared-memory read when it is off). */
export function trace(kind: TraceKind, primitive: string, id: number, thread: number): void {
  if (hook) hook({ kind, primitive, id, thread, time: performance.timeOrigin + performance.now() });
  // Checked here, not only inside the bridge, so the lock fast path stays a few inlined loads.
  if (isRecording()) traceToTimeline(kind, primitive, id);
}
