/**
 * `timeline(fn)`: records what Spindle's threads, processes, tasks, locks,
 * queues and sleeps do while `fn` runs, and returns a `Timeline` that renders
 * as an SVG Gantt chart in notebooks and as a text chart elsewhere.
 */
import { wordsFor, type DisplayLang } from "../display/lang";
import { JUPYTER_DISPLAY, type MimeBundle } from "../display/mime";
import { beginSpan, endSpan, recordEvent, withLane } from "../recorder/record";
import { startRecording } from "../recorder/session";
import type { RawEvent } from "../recorder/buffer";
import { timelineSvg, type TimelineChartOptions } from "./timeline-chart";
import { buildLanes, type TimelineLane } from "./timeline-model";
import { timelineText } from "./timeline-text";
import { timelineVegaLite, VEGA_LITE_MIME } from "./vega-lite";

/** Options of `timeline()`. */
export interface TimelineOptions {
  /** A title for the chart. */
  title?: string;
  /** Language of the legend, axis and summary words: "en" (default) or "zh". */
  lang?: DisplayLang;
}

/** What happened while a function ran: lanes of running/waiting/sleeping intervals, in seconds. */
export class Timeline<T = unknown> {
  /** One row per thread, process or task, main thread first. */
  readonly lanes: readonly TimelineLane[];

  /** Builds a timeline from recorded events (times in ms since the epoch). */
  constructor(
    /** The value `fn` returned. */
    readonly value: T,
    /** The raw events, oldest first. */
    readonly events: readonly RawEvent[],
    /** Length of the recording in seconds. */
    readonly duration: number,
    readonly title: string,
    start: number,
    /** Events lost (buffer full) or not stored (per-thread limit). */
    readonly lost: { dropped: number; limited: number } = { dropped: 0, limited: 0 },
    /** Language of the chart's own words. */
    readonly lang: DisplayLang = "en",
  ) {
    wordsFor(lang);
    this.lanes = buildLanes(events, start, start + duration * 1000);
  }

  /** The lane called `name`, if it recorded anything. */
  lane(name: string): TimelineLane | undefined {
    return this.lanes.find((l) => l.name === name);
  }

  /** The SVG Gantt chart; `axisSeconds` fixes the axis length so several charts line up. */
  toSVG(options: Omit<TimelineChartOptions, "title"> = {}): string {
    return timelineSvg(this.lanes, this.duration, { lang: this.lang, ...options, title: this.title });
  }

  /** The text chart and per-lane summary. */
  toText(axisSeconds = this.duration): string {
    return timelineText(this.lanes, this.duration, this.title, this.notes(), axisSeconds, this.lang);
  }

  /** Notes about events that were not kept. */
  notes(): string[] {
    const out: string[] = [];
    const words = wordsFor(this.lang);
    if (this.lost.limited > 0) out.push(words.limited(this.lost.limited));
    if (this.lost.dropped > 0) out.push(words.dropped(this.lost.dropped));
    return out;
  }

  /** SVG chart for notebooks, text chart for consoles and graders. */
  [JUPYTER_DISPLAY](): MimeBundle {
    return {
      "image/svg+xml": this.toSVG(),
      "text/plain": this.toText(),
      [VEGA_LITE_MIME]: timelineVegaLite(this.lanes, this.duration, this.title),
    };
  }
}

/** Runs `fn` while recording a timeline; resolves with the `Timeline` (its `value` is what `fn` returned). */
export async function timeline<T>(
  fn: () => T | Promise<T>,
  options: TimelineOptions = {},
): Promise<Timeline<Awaited<T>>> {
  const words = wordsFor(options.lang); // a bad lang fails before anything runs
  const recording = startRecording();
  let value: Awaited<T>;
  try {
    value = await fn();
  } catch (err) {
    await recording.stop();
    throw err;
  }
  const result = await recording.stop();
  return new Timeline(
    value,
    result.events,
    (result.end - result.start) / 1000,
    options.title ?? words.timeline,
    result.start,
    {
      dropped: result.dropped,
      limited: result.limited,
    },
    options.lang,
  );
}

/** Runs `fn` as its own lane called `name` (start and end recorded), e.g. one task of a demo. */
export async function track<T>(name: string, fn: () => T | Promise<T>): Promise<Awaited<T>> {
  return withLane(name, async (): Promise<Awaited<T>> => {
    recordEvent("start", name);
    try {
      return await fn();
    } finally {
      recordEvent("end", name);
    }
  });
}

/** Records a wait (hatched on the chart) around `promise`, e.g. `await waiting("db", query())`. */
export async function waiting<T>(what: string, promise: PromiseLike<T>): Promise<T> {
  const span = beginSpan("wait", what);
  try {
    return await promise;
  } finally {
    endSpan(span, "wake", what);
  }
}
