/**
 * Vega-Lite v5 specifications of the timeline and `compare` charts. JupyterLab
 * renders `application/vnd.vegalite.v5+json` natively (with tooltips: thread,
 * state, start, duration); the SVG stays in the same bundle for nbconvert, code
 * hosts and the classic Notebook, which do not know Vega-Lite. The specs are
 * plain JSON: no charting library is loaded in the kernel.
 */
import { JUPYTER_DISPLAY, type MimeBundle } from "../display/mime";
import type { Interval, TimelineLane } from "./timeline-model";
import { TIMELINE_COLORS } from "./timeline-chart";

/** The mime type JupyterLab's Vega 5 renderer shows. */
export const VEGA_LITE_MIME = "application/vnd.vegalite.v5+json";
const SCHEMA = "https://vega.github.io/schema/vega-lite/v5.json";

/** A Vega-Lite spec (JSON). */
export type VegaLiteSpec = Record<string, unknown>;

const STATES = ["running", "waiting", "sleeping"] as const;
const round = (s: number): number => Math.round(s * 1e6) / 1e6;

/** The timeline as a Vega-Lite layered bar chart: one row per thread, bars per state, holds and markers on top. */
export function timelineVegaLite(lanes: readonly TimelineLane[], duration: number, title: string): VegaLiteSpec {
  const bars: Record<string, unknown>[] = [];
  const holds: Record<string, unknown>[] = [];
  const marks: Record<string, unknown>[] = [];
  for (const lane of lanes) {
    const datum = (state: string, iv: Interval) => ({
      thread: lane.name,
      state,
      start: round(iv.from),
      end: round(iv.to),
      duration: round(iv.to - iv.from),
      what: iv.what ?? "",
    });
    for (const state of STATES) for (const iv of lane[state]) bars.push(datum(state, iv));
    for (const iv of lane.holding) holds.push(datum("holding", iv));
    for (const m of lane.markers)
      marks.push({ thread: lane.name, state: m.kind, start: round(m.at), what: m.what ?? "" });
  }
  const order = lanes.map((l) => l.name);
  const y = { field: "thread", type: "nominal", sort: order, title: null };
  const x = {
    field: "start",
    type: "quantitative",
    title: "seconds",
    scale: { domain: [0, round(Math.max(duration, 1e-3))] },
  };
  const color = {
    field: "state",
    type: "nominal",
    title: "state",
    scale: {
      domain: ["running", "waiting", "sleeping", "holding"],
      range: [TIMELINE_COLORS.running, TIMELINE_COLORS.waiting, TIMELINE_COLORS.sleeping, TIMELINE_COLORS.holding],
    },
  };
  const tooltip = [
    { field: "thread", type: "nominal" },
    { field: "state", type: "nominal" },
    { field: "start", type: "quantitative", title: "start (s)", format: ".3f" },
    { field: "duration", type: "quantitative", title: "duration (s)", format: ".3f" },
    { field: "what", type: "nominal", title: "on" },
  ];
  const layer: Record<string, unknown>[] = [
    {
      data: { values: bars },
      mark: { type: "bar", height: { band: 0.7 } },
      encoding: { y, x, x2: { field: "end" }, color, tooltip },
    },
  ];
  if (holds.length > 0) {
    layer.push({
      data: { values: holds },
      mark: { type: "bar", height: { band: 0.2 }, yOffset: 8 },
      encoding: { y, x, x2: { field: "end" }, color, tooltip },
    });
  }
  if (marks.length > 0) {
    layer.push({
      data: { values: marks },
      mark: { type: "point", shape: "diamond", filled: true, color: TIMELINE_COLORS.marker },
      encoding: {
        y,
        x,
        tooltip: [tooltip[0], { field: "state", type: "nominal", title: "event" }, tooltip[2], tooltip[4]],
      },
    });
  }
  return { $schema: SCHEMA, title, width: 560, height: { step: 26 }, layer };
}

/** One measured variant, as `compare` reports it (seconds). */
export interface CompareDatum {
  variant: string;
  median: number;
  min: number;
  max: number;
  cpu: number;
  speedup: number;
}

/** The `compare` result as a Vega-Lite bar chart of median wall time with min–max whiskers. */
export function compareVegaLite(rows: readonly CompareDatum[], title: string | undefined): VegaLiteSpec {
  const values = rows.map((r) => ({
    variant: r.variant,
    median: round(r.median),
    min: round(r.min),
    max: round(r.max),
    cpu: round(r.cpu),
    speedup: Math.round(r.speedup * 100) / 100,
  }));
  const y = { field: "variant", type: "nominal", sort: rows.map((r) => r.variant), title: null };
  const tooltip = [
    { field: "variant", type: "nominal" },
    { field: "median", type: "quantitative", title: "median wall (s)", format: ".4f" },
    { field: "min", type: "quantitative", title: "min (s)", format: ".4f" },
    { field: "max", type: "quantitative", title: "max (s)", format: ".4f" },
    { field: "cpu", type: "quantitative", title: "CPU time (s)", format: ".4f" },
    { field: "speedup", type: "quantitative", title: `speedup vs ${rows[0]?.variant ?? "first"}`, format: ".2f" },
  ];
  return {
    $schema: SCHEMA,
    title: title ? `${title}: median wall time` : "Median wall time",
    width: 480,
    height: { step: 28 },
    data: { values },
    layer: [
      {
        mark: { type: "bar", color: TIMELINE_COLORS.running, height: { band: 0.7 } },
        encoding: {
          y,
          x: { field: "median", type: "quantitative", title: "seconds (bars: median, whiskers: min–max)" },
          tooltip,
        },
      },
      {
        mark: { type: "rule", color: TIMELINE_COLORS.marker },
        encoding: { y, x: { field: "min", type: "quantitative" }, x2: { field: "max" }, tooltip },
      },
    ],
  };
}

/** A chart shown as Vega-Lite where the frontend can (JupyterLab), as SVG or text elsewhere. */
export class VegaLiteChart {
  /** Wraps a spec with its SVG and text fallbacks. */
  constructor(
    readonly spec: VegaLiteSpec,
    readonly svg: string,
    readonly text: string,
  ) {}

  /** Vega-Lite, SVG and text in one bundle. */
  [JUPYTER_DISPLAY](): MimeBundle {
    return { [VEGA_LITE_MIME]: this.spec, "image/svg+xml": this.svg, "text/plain": this.text };
  }
}
