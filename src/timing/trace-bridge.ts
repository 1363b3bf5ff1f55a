/**
 * Turns the events the threading primitives report (`src/concurrency/shared/trace.ts`)
 * into timeline events: waits become hatched spans, acquire→release becomes
 * a "holding" band, set/notify/put/get become ticks. Costs one shared-memory
 * read per call when no timeline is being recorded.
 */
import { beginSpan, canStore, countSkipped, currentLane, endSpan, isRecording, recordEvent, skipWhenSaturated, type EventKind } from "./recorder";

/** The trace kinds of `src/concurrency/shared/trace.ts` (kept as plain strings to avoid an import cycle). */
export type PrimitiveTraceKind =
  | "acquire-wait" | "acquired" | "acquire-timeout" | "released"
  | "wait" | "woke" | "wait-timeout" | "notify" | "set" | "clear" | "put" | "get" | "broken";

// Open wait spans per lane and primitive. Several async tasks of one thread may wait on the same
// primitive at once; they are told apart by lane, and within a lane served first-in first-out.
const openSpans = new Map<string, number[]>();
// "Lock-3" for each primitive and id, made once (the recorder interns strings by identity quickly).
const labels = new Map<string, Map<number, string>>();

function labelOf(primitive: string, id: number): string {
  let byId = labels.get(primitive);
  if (!byId) labels.set(primitive, (byId = new Map()));
  let label = byId.get(id);
  if (label === undefined) byId.set(id, (label = `${primitive}-${id}`));
  return label;
}

/** Records one primitive event on the timeline (no-op unless a timeline is being recorded). */
export function traceToTimeline(kind: PrimitiveTraceKind, primitive: string, id: number): void {
  if (!isRecording() || primitive === "") return; // "": internal locks (a queue's own mutex), not the user's
  // A lock-heavy loop reaches the per-thread limit quickly; from then on only count, cheaply.
  if (openSpans.size === 0) {
    if (skipWhenSaturated()) return; // counted
    if (!canStore()) {
      countSkipped();
      return;
    }
  }
  const what = labelOf(primitive, id);
  switch (kind) {
    case "acquire-wait":
    case "wait":
      open(what, beginSpan("wait", what));
      return;
    case "acquired":
      closeOr(what, "acquire");
      return;
    case "acquire-timeout":
    case "wait-timeout":
      close(what, "timeout");
      return;
    case "woke":
      close(what, "wake");
      return;
    case "released":
      recordEvent("release", what);
      return;
    case "clear":
    case "broken":
      recordEvent("mark", `${what} ${kind}`);
      return;
    default:
      recordEvent(kind, what);
  }
}

function key(what: string): string {
  return `${currentLane()}\u0000${what}`;
}

function open(what: string, span: number): void {
  if (span === 0) return;
  const k = key(what);
  const list = openSpans.get(k);
  if (list) list.push(span);
  else openSpans.set(k, [span]);
}

function take(what: string): number | undefined {
  const k = key(what);
  const list = openSpans.get(k);
  const span = list?.shift();
  if (list && list.length === 0) openSpans.delete(k);
  return span;
}

function close(what: string, outcome: EventKind): void {
  const span = take(what);
  if (span !== undefined) endSpan(span, outcome, what);
}

/** An acquire that followed a wait ends the wait; an uncontended one is a plain acquire event. */
function closeOr(what: string, outcome: EventKind): void {
  const span = take(what);
  if (span !== undefined) endSpan(span, outcome, what);
  else recordEvent(outcome, what);
}

/** Forgets open spans (a new recording starts clean). */
export function resetTraceBridge(): void {
  openSpans.clear();
}
