/**
 * The timeline as an SVG Gantt chart: one row per lane, solid bars while
 * running, hatched while waiting on a lock/queue/event/join, dotted while
 * sleeping, a green band while holding a lock, ticks for instant events.
 * Intervals closer than half a pixel are merged so huge recordings stay small.
 */
import { escapeXml } from "../display/escape";
import { formatSeconds } from "../display/format";
import { wordsFor, type DisplayLang, type Words } from "../display/lang";
import { niceTicks, rect, round, svgDocument, text, timeTickLabel, uniqueId } from "../display/svg";
import { textPixelWidth, truncateToPixels } from "../display/text-width";
import type { Interval, Marker, TimelineLane } from "./timeline-model";

/** Options of the chart. */
export interface TimelineChartOptions {
  title?: string;
  /** Length of the time axis in seconds (default: the recording's duration); equal values align several charts. */
  axisSeconds?: number;
  /** Width in pixels (default 760). */
  width?: number;
  /** Language of the legend and of the default title (default "en"). */
  lang?: DisplayLang;
}

/** Colours of the chart, also used by the legend. */
export const TIMELINE_COLORS = {
  running: "#4C78A8",
  waiting: "#F58518",
  sleeping: "#9D9D9D",
  holding: "#54A24B",
  marker: "#333333",
  timeout: "#E45756",
} as const;

const LABEL_W = 130;
const MAX_LABEL_W = 220;
const FONT = 11;
const ROW_H = 24;
const BAR_H = 14;
const AXIS_H = 22;
const LEGEND_H = 24;

/** Renders `lanes` (over `duration` seconds) as a standalone SVG document. */
export function timelineSvg(
  lanes: readonly TimelineLane[],
  duration: number,
  options: TimelineChartOptions = {},
): string {
  const width = options.width ?? 760;
  const words = wordsFor(options.lang);
  // The label column grows with the widest lane name (measured in pixels, wide CJK characters counted wide).
  const labelW = Math.round(
    Math.min(MAX_LABEL_W, Math.max(LABEL_W, ...lanes.map((l) => textPixelWidth(l.name, FONT) + 16))),
  );
  const axis = Math.max(options.axisSeconds ?? duration, duration, 1e-6);
  const plotW = width - labelW - 16;
  const x = (s: number): number => labelW + (s / axis) * plotW;
  const minGap = axis / plotW / 2; // half a pixel, in seconds
  const titleH = options.title ? 20 : 4;
  const top = titleH + AXIS_H;
  const height = top + Math.max(1, lanes.length) * ROW_H + LEGEND_H + 6;
  const id = uniqueId("spindle-tl");
  const parts: string[] = [defs(id)];
  if (options.title) parts.push(text({ x: 8, y: 14, "font-size": 13, "font-weight": "bold" }, options.title));
  parts.push(axisMarkup(axis, x, titleH, top + lanes.length * ROW_H));
  lanes.forEach((lane, i) => {
    const y = top + i * ROW_H + (ROW_H - BAR_H) / 2;
    parts.push(
      text(
        { x: labelW - 8, y: y + BAR_H - 3, "text-anchor": "end", class: "lane-label" },
        truncateToPixels(lane.name, labelW - 12, FONT),
      ),
    );
    parts.push(`<g class="lane" data-lane="${escapeXml(lane.name)}">`);
    parts.push(
      rect({ x: x(lane.alive.from), y: y + BAR_H / 2 - 0.5, width: w(x, lane.alive), height: 1, fill: "#CCCCCC" }),
    );
    const bar = (kind: "running" | "waiting" | "sleeping", iv: Interval): string =>
      rect(
        {
          class: `bar ${kind}`,
          x: x(iv.from),
          y,
          width: w(x, iv),
          height: BAR_H,
          fill: fillOf(kind, id),
          stroke: kind === "running" ? undefined : strokeOf(kind),
          "stroke-width": kind === "running" ? undefined : 0.8,
        },
        `${lane.name}: ${kind}${iv.what ? ` (${iv.what})` : ""}, ${formatSeconds(iv.from)} → ${formatSeconds(iv.to)} (${formatSeconds(iv.to - iv.from)})`,
      );
    for (const iv of coalesce(lane.running, minGap)) parts.push(bar("running", iv));
    for (const iv of coalesce(lane.waiting, minGap)) parts.push(bar("waiting", iv));
    for (const iv of coalesce(lane.sleeping, minGap)) parts.push(bar("sleeping", iv));
    for (const iv of coalesce(lane.holding, minGap)) {
      parts.push(
        rect(
          { class: "hold", x: x(iv.from), y: y + BAR_H - 4, width: w(x, iv), height: 4, fill: TIMELINE_COLORS.holding },
          `${lane.name} holds ${iv.what ?? "a lock"}, ${formatSeconds(iv.from)} → ${formatSeconds(iv.to)}`,
        ),
      );
    }
    for (const m of thinMarkers(lane.markers, minGap * 4)) parts.push(markerMarkup(m, x(m.at), y, lane.name));
    parts.push("</g>");
  });
  parts.push(legend(id, height - LEGEND_H + 4, width, labelW, words));
  return svgDocument(
    width,
    height,
    options.title ?? words.overview(lanes.length, formatSeconds(duration)),
    parts.join(""),
  );
}

function defs(id: string): string {
  return (
    `<defs><pattern id="${id}-hatch" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">` +
    `<rect width="6" height="6" fill="#FDE7D1"/><line x1="0" y1="0" x2="0" y2="6" stroke="${TIMELINE_COLORS.waiting}" stroke-width="2.5"/></pattern>` +
    `<pattern id="${id}-dots" width="4" height="4" patternUnits="userSpaceOnUse">` +
    `<rect width="4" height="4" fill="#EEEEEE"/><circle cx="2" cy="2" r="0.9" fill="${TIMELINE_COLORS.sleeping}"/></pattern></defs>`
  );
}

function fillOf(kind: "running" | "waiting" | "sleeping", id: string): string {
  if (kind === "running") return TIMELINE_COLORS.running;
  return kind === "waiting" ? `url(#${id}-hatch)` : `url(#${id}-dots)`;
}

function strokeOf(kind: "waiting" | "sleeping"): string {
  return kind === "waiting" ? TIMELINE_COLORS.waiting : TIMELINE_COLORS.sleeping;
}

function w(x: (s: number) => number, iv: Interval): number {
  return Math.max(0.5, x(iv.to) - x(iv.from));
}

function axisMarkup(axis: number, x: (s: number) => number, y0: number, y1: number): string {
  const out: string[] = ['<g class="axis" stroke="#DDDDDD">'];
  for (const t of niceTicks(axis)) {
    out.push(`<line x1="${round(x(t))}" y1="${y0 + AXIS_H - 4}" x2="${round(x(t))}" y2="${y1}"/>`);
    out.push(
      text({ x: x(t), y: y0 + AXIS_H - 8, "text-anchor": "middle", fill: "#555555", stroke: "none" }, timeTickLabel(t)),
    );
  }
  out.push("</g>");
  return out.join("");
}

function markerMarkup(m: Marker, cx: number, y: number, lane: string): string {
  const color = m.kind === "timeout" ? TIMELINE_COLORS.timeout : TIMELINE_COLORS.marker;
  const label = `${lane}: ${m.kind}${m.what ? ` ${m.what}` : ""} at ${formatSeconds(m.at)}`;
  const tick = `<path class="marker" d="M${round(cx)} ${round(y - 3)} l-3 -4 h6 z" fill="${color}"><title>${escapeXml(label)}</title></path>`;
  if (m.kind !== "mark" || !m.what) return tick;
  return tick + text({ x: cx + 4, y: y - 2, "font-size": 9, fill: color }, truncateToPixels(m.what, 130, 9));
}

function legend(id: string, y: number, width: number, left: number, words: Words): string {
  const items: Array<[string, string, string | undefined]> = [
    [words.running, TIMELINE_COLORS.running, undefined],
    [words.waitingLong, `url(#${id}-hatch)`, TIMELINE_COLORS.waiting],
    [words.sleeping, `url(#${id}-dots)`, TIMELINE_COLORS.sleeping],
    [words.holdingLong, TIMELINE_COLORS.holding, undefined],
  ];
  const out: string[] = ['<g class="legend">'];
  let x = left;
  for (const [label, fill, stroke] of items) {
    out.push(rect({ x, y, width: 14, height: 10, fill, stroke, "stroke-width": stroke ? 0.8 : undefined }));
    out.push(text({ x: x + 18, y: y + 9, fill: "#333333" }, label));
    x += 30 + textPixelWidth(label, FONT);
    if (x > width - 60) break;
  }
  out.push(
    `<path d="M${round(x + 5)} ${y + 2} l-3 -4 h6 z" fill="${TIMELINE_COLORS.marker}"/>`,
    text({ x: x + 12, y: y + 9, fill: "#333333" }, words.event),
  );
  out.push("</g>");
  return out.join("");
}

/** Merges intervals overlapping or separated by less than `gap` seconds (below the chart's resolution). */
export function coalesce(intervals: readonly Interval[], gap: number): Interval[] {
  const out: Interval[] = [];
  for (const iv of [...intervals].sort((p, q) => p.from - q.from)) {
    const last = out[out.length - 1];
    if (last && iv.from - last.to < gap) {
      last.to = Math.max(last.to, iv.to);
      if (last.what !== iv.what) last.what = undefined;
    } else out.push({ ...iv });
  }
  return out;
}

function thinMarkers(markers: readonly Marker[], gap: number): Marker[] {
  const out: Marker[] = [];
  for (const m of [...markers].sort((a, b) => a.at - b.at)) {
    const last = out[out.length - 1];
    if (last && m.at - last.at < gap && m.kind !== "mark" && last.kind !== "mark") continue;
    out.push(m);
  }
  return out;
}
