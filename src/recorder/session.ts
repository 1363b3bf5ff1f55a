/**
 * Starting and stopping a recording in the process that draws the chart, and
 * gathering the events of its threads and linked child processes.
 * Recordings nest: an inner `timeline()` shares the outer one's recording and
 * keeps only the events inside its own time window.
 */
import { beginGeneration, generation, readEvents, stopRecording, type RawEvent } from "./buffer";
import { processBuffer, publishSkipped } from "./record";

/** What a finished recording produced. */
export interface RecordingResult {
  events: RawEvent[];
  /** Wall-clock start and end of the recording window (ms since the epoch). */
  start: number;
  end: number;
  /** Events lost because a buffer was full. */
  dropped: number;
  /** Events counted but not stored because a thread reached its per-recording limit. */
  limited: number;
}

/** A source of events outside this process's buffer (linked child processes). */
export interface EventSource {
  /** Called when a recording starts in this process. */
  started(gen: number): void;
  /** Called when the outermost recording stops; resolves with the source's events. */
  collect(gen: number): Promise<{ events: RawEvent[]; dropped: number; limited: number }>;
}

const sources = new Set<EventSource>();
let depth = 0;
let activeGen = 0;

/** Registers an event source (the child-process link); returns a function that removes it. */
export function addEventSource(source: EventSource): () => void {
  sources.add(source);
  return () => sources.delete(source);
}

/** The generation being recorded, or 0 when nothing is recorded. */
export function activeGeneration(): number {
  return depth > 0 ? activeGen : 0;
}

/** Handle of one (possibly nested) recording. */
export interface Recording {
  readonly start: number;
  /** Stops this recording and returns the events inside its window. */
  stop(): Promise<RecordingResult>;
}

/** Starts recording (or joins the recording already running). */
export function startRecording(): Recording {
  const buffer = processBuffer();
  if (depth === 0) {
    activeGen = beginGeneration(buffer);
    for (const s of sources) s.started(activeGen);
  }
  depth++;
  const gen = activeGen;
  const start = now();
  let stopped: Promise<RecordingResult> | undefined;
  return {
    start,
    stop: () => (stopped ??= finish(gen, start)),
  };
}

async function finish(gen: number, start: number): Promise<RecordingResult> {
  const end = now();
  depth--;
  const buffer = processBuffer();
  const outermost = depth === 0;
  publishSkipped();
  if (outermost) stopRecording(buffer);
  const own = readEvents(buffer, generation(buffer) === gen ? gen : -1, 0, true);
  const events = [...own.events];
  let dropped = own.dropped;
  let limited = own.limited;
  if (outermost) {
    const parts = await Promise.all([...sources].map((s) => s.collect(gen)));
    for (const p of parts) {
      events.push(...p.events);
      dropped += p.dropped;
      limited += p.limited;
    }
  }
  const inside = events.filter((e) => e.t >= start && e.t <= end + 1).sort((a, b) => a.t - b.t);
  return { events: inside, start, end, dropped, limited };
}

function now(): number {
  return performance.timeOrigin + performance.now();
}
