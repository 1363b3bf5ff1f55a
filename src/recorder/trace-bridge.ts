/**
 * Turns the events the threading primitives report (`src/concurrency/shared/trace.ts`)
 * into timeline events: waits become hatched spans, acquire→release becomes
 * a "holding" band, set/notify/put/get become ticks. Called only for events
 * that passed the recorder's gate (`mustRecord`), or that may close a wait
 * this thread opened (`hasOpenWaits`).
 */
import { generation } from "./buffer";
import { currentLane, endSpan, processBuffer, setCountingGuard, storeEvent, storeSpan, type EventKind } from "./record";

/** What a primitive reports through `src/concurrency/shared/trace.ts` (which takes this list as its `TraceKind`). */
export type PrimitiveTraceKind =
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

// Open wait spans per lane and primitive, for the recording `spansGen`. Several async tasks of one thread
// may wait on the same primitive at once; they are told apart by lane, and within a lane served first-in
// first-out.
const openSpans = new Map<string, number[]>();
let spansGen = -1;
// "Lock-3" for each primitive and id, made once (the recorder interns strings by identity quickly).
const labels = new Map<string, Map<number, string>>();

// A wait whose end would be counted instead of stored would be drawn as lasting to the end of the lane.
setCountingGuard(() => !hasOpenWaits());

/** True while a wait this thread reported to the recording under way has not ended (its end must get through). */
export function hasOpenWaits(): boolean {
  return openSpans.size > 0 && spansGen === generation(processBuffer());
}

/** The chart label of a primitive, e.g. "Lock-3". */
export function labelOf(primitive: string, id: number): string {
  let byId = labels.get(primitive);
  if (!byId) labels.set(primitive, (byId = new Map()));
  let label = byId.get(id);
  if (label === undefined) byId.set(id, (label = `${primitive}-${id}`));
  return label;
}

/** Records one event of the primitive labelled `what` (see `labelOf`) on the timeline; the caller checked the gate. */
export function traceToTimeline(kind: PrimitiveTraceKind, what: string): void {
  const gen = generation(processBuffer());
  if (spansGen !== gen) {
    openSpans.clear(); // waits of an earlier recording end outside this one
    spansGen = gen;
  }
  switch (kind) {
    case "acquire-wait":
    case "wait":
      open(what, storeSpan("wait", what));
      return;
    case "acquired":
      closeOr(what, "acquire");
      return;
    case "acquire-timeout":
    case "wait-timeout":
      closeOr(what, "timeout");
      return;
    case "woke":
      closeOr(what, "wake");
      return;
    case "released":
      storeEvent("release", what);
      return;
    case "clear":
    case "broken":
      storeEvent("mark", `${what} ${kind}`);
      return;
    default:
      storeEvent(kind, what);
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
  if (openSpans.size === 0) return undefined;
  const k = key(what);
  const list = openSpans.get(k);
  const span = list?.shift();
  if (list && list.length === 0) openSpans.delete(k);
  return span;
}

/** Ends the wait on `what` if one is open; otherwise an acquire is a plain (uncontended) acquire event. */
function closeOr(what: string, outcome: EventKind): void {
  const span = take(what);
  if (span !== undefined) endSpan(span, outcome, what);
  else if (outcome === "acquire") storeEvent(outcome, what);
}
