/**
 * Turns raw timeline events into lanes of intervals: when each thread,
 * process or task ran, waited (on a lock, queue, event, join), slept and held
 * something, plus its instant markers. Times are seconds from the recording start.
 */
import type { RawEvent } from "../recorder/buffer";

/** A closed interval in seconds from the start of the recording. */
export interface Interval {
  from: number;
  to: number;
  /** What it is about: the lock, queue or sleep it waited on, the lock it held. */
  what?: string;
}

/** An instant marker on a lane. */
export interface Marker {
  at: number;
  kind: string;
  what?: string;
}

/** One row of the timeline: a thread, process or async task. */
export interface TimelineLane {
  name: string;
  /** Process id the lane's events came from. */
  pid: number;
  /** When the lane was alive: from its start event (or the recording start) to its end (or the recording end). */
  alive: Interval;
  /** Alive minus waiting and sleeping: when it could run. */
  running: Interval[];
  waiting: Interval[];
  sleeping: Interval[];
  /** Between acquire and release of a lock/semaphore (nested acquisitions merged). */
  holding: Interval[];
  markers: Marker[];
}

/** Builds lanes from events recorded between `start` and `end` (ms since the epoch). */
export function buildLanes(events: readonly RawEvent[], start: number, end: number): TimelineLane[] {
  const sec = (t: number): number => Math.max(0, (t - start) / 1000);
  const duration = sec(end);
  const byLane = new Map<string, RawEvent[]>();
  for (const e of events) {
    const list = byLane.get(e.lane);
    if (list) list.push(e);
    else byLane.set(e.lane, [e]);
  }
  // A span can end in another lane's event only by mistake; match ends by process + span id.
  const spanEnds = new Map<string, RawEvent>();
  for (const e of events) {
    if (e.span !== 0 && e.kind !== "wait" && e.kind !== "sleep") spanEnds.set(`${e.pid}:${e.span}`, e);
  }
  const lanes: TimelineLane[] = [];
  for (const [name, list] of byLane) {
    const first = list.find((e) => e.kind === "start");
    const last = [...list].reverse().find((e) => e.kind === "end");
    const alive = { from: first ? sec(first.t) : 0, to: last ? sec(last.t) : duration };
    const waiting: Interval[] = [];
    const sleeping: Interval[] = [];
    const markers: Marker[] = [];
    const holds = new Map<string, { depth: number; from: number }>();
    const holding: Interval[] = [];
    for (const e of list) {
      if (e.kind === "wait" || e.kind === "sleep") {
        const endEvent = spanEnds.get(`${e.pid}:${e.span}`);
        const iv = { from: sec(e.t), to: endEvent ? sec(endEvent.t) : alive.to, what: e.what };
        (e.kind === "wait" ? waiting : sleeping).push(iv);
        if (endEvent?.kind === "timeout") markers.push({ at: iv.to, kind: "timeout", what: e.what });
      } else if (e.kind === "acquire") {
        const key = e.what ?? "";
        const h = holds.get(key);
        if (h) h.depth++;
        else holds.set(key, { depth: 1, from: sec(e.t) });
      } else if (e.kind === "release") {
        const key = e.what ?? "";
        const h = holds.get(key);
        if (h && --h.depth === 0) {
          holds.delete(key);
          holding.push({ from: h.from, to: sec(e.t), what: e.what });
        }
      } else if (e.span !== 0) {
        // The end of a wait/sleep span (its "wake"/"get"/"timeout" is drawn by the span itself).
      } else if (e.kind !== "start" && e.kind !== "end" && e.kind !== "wake" && e.kind !== "timeout") {
        markers.push({ at: sec(e.t), kind: e.kind, what: e.what });
      }
    }
    for (const [what, h] of holds) holding.push({ from: h.from, to: alive.to, what: what || undefined });
    holding.sort((a, b) => a.from - b.from);
    const running = subtract(alive, [...waiting, ...sleeping]);
    lanes.push({ name, pid: list[0]?.pid ?? 0, alive, running, waiting, sleeping, holding, markers });
  }
  // Lanes that start within 20 ms of each other are ordered by name ("job 2" before "job 3").
  const bucket = (l: TimelineLane): number => Math.round(l.alive.from * 50);
  return lanes.sort(
    (a, b) =>
      laneOrder(a) - laneOrder(b) || bucket(a) - bucket(b) || a.name.localeCompare(b.name, "en", { numeric: true }),
  );
}

function laneOrder(lane: TimelineLane): number {
  return lane.name === "MainThread" ? 0 : 1;
}

/** `whole` minus the union of `holes`, as sorted disjoint intervals. */
export function subtract(whole: Interval, holes: readonly Interval[]): Interval[] {
  const sorted = [...holes].sort((a, b) => a.from - b.from);
  const out: Interval[] = [];
  let cursor = whole.from;
  for (const h of sorted) {
    if (h.to <= cursor) continue;
    if (h.from > cursor) out.push({ from: cursor, to: Math.min(h.from, whole.to) });
    cursor = Math.max(cursor, h.to);
    if (cursor >= whole.to) break;
  }
  if (cursor < whole.to) out.push({ from: cursor, to: whole.to });
  return out.filter((iv) => iv.to > iv.from);
}

/** Total length of intervals, in seconds (overlaps counted once). */
export function totalLength(intervals: readonly Interval[]): number {
  return merge(intervals).reduce((sum, iv) => sum + (iv.to - iv.from), 0);
}

/** Seconds during which both sets of intervals are active at once. */
export function overlapSeconds(a: readonly Interval[], b: readonly Interval[]): number {
  const xs = merge(a);
  const ys = merge(b);
  let total = 0;
  for (let i = 0, j = 0; i < xs.length && j < ys.length; ) {
    const x = xs[i] as Interval;
    const y = ys[j] as Interval;
    total += Math.max(0, Math.min(x.to, y.to) - Math.max(x.from, y.from));
    if (x.to < y.to) i++;
    else j++;
  }
  return total;
}

/** Sorted, disjoint union of intervals. */
export function merge(intervals: readonly Interval[]): Interval[] {
  const sorted = [...intervals].sort((p, q) => p.from - q.from);
  const out: Interval[] = [];
  for (const iv of sorted) {
    const last = out[out.length - 1];
    if (last && iv.from <= last.to) last.to = Math.max(last.to, iv.to);
    else out.push({ from: iv.from, to: iv.to });
  }
  return out;
}
