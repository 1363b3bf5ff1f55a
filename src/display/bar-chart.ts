/** A horizontal bar chart in SVG: one bar per item, optional min–max whiskers, value labels. */
import { niceTicks, rect, round, svgDocument, text } from "./svg";
import { displayWidth, padToWidth, textPixelWidth } from "./text-width";

/** One bar. */
export interface Bar {
  label: string;
  value: number;
  /** Whisker from `low` to `high` (e.g. min and max of repeated runs). */
  low?: number;
  high?: number;
  /** Text at the end of the bar (default: the value). */
  note?: string;
}

/** Options of `barChartSvg`. */
export interface BarChartOptions {
  title?: string;
  /** Formats axis ticks and default value notes. */
  format?: (value: number) => string;
  /** Axis caption, e.g. "median wall time". */
  axisLabel?: string;
  width?: number;
}

const PALETTE = ["#4C78A8", "#F58518", "#54A24B", "#E45756", "#72B7B2", "#B279A2", "#FF9DA6", "#9D755D"];

/** Renders `bars` as a standalone SVG document. */
export function barChartSvg(bars: readonly Bar[], options: BarChartOptions = {}): string {
  const width = options.width ?? 560;
  const format = options.format ?? ((v: number) => String(v));
  const labelW = Math.min(180, 16 + Math.max(40, ...bars.map((b) => textPixelWidth(b.label, 11))));
  const noteW = 90;
  const plotW = width - labelW - noteW;
  const rowH = 26;
  const titleH = options.title ? 22 : 6;
  const axisH = 28;
  const height = titleH + bars.length * rowH + axisH;
  const max = Math.max(1e-12, ...bars.map((b) => Math.max(b.value, b.high ?? 0)));
  const ticks = niceTicks(max, 5);
  const top = ticks[ticks.length - 1] ?? max;
  const scale = Math.max(top, max);
  const x = (v: number): number => labelW + (v / scale) * plotW;
  const parts: string[] = [];
  if (options.title) parts.push(text({ x: 8, y: 15, "font-size": 13, "font-weight": "bold" }, options.title));
  const plotBottom = titleH + bars.length * rowH;
  for (const t of ticks) {
    parts.push(`<line x1="${round(x(t))}" y1="${titleH}" x2="${round(x(t))}" y2="${plotBottom}" stroke="#E5E5E5"/>`);
    parts.push(text({ x: x(t), y: plotBottom + 12, "text-anchor": "middle", fill: "#555555" }, format(t)));
  }
  if (options.axisLabel)
    parts.push(
      text({ x: labelW + plotW / 2, y: plotBottom + 25, "text-anchor": "middle", fill: "#333333" }, options.axisLabel),
    );
  bars.forEach((b, i) => {
    const y = titleH + i * rowH + 5;
    const h = rowH - 10;
    const fill = PALETTE[i % PALETTE.length] ?? "#4C78A8";
    parts.push(text({ x: labelW - 8, y: y + h - 3, "text-anchor": "end" }, b.label));
    parts.push(
      rect(
        { class: "bar", x: labelW, y, width: Math.max(0.5, x(b.value) - labelW), height: h, fill },
        `${b.label}: ${b.note ?? format(b.value)}`,
      ),
    );
    if (b.low !== undefined && b.high !== undefined && b.high > b.low) {
      const cy = y + h / 2;
      parts.push(
        `<path class="whisker" d="M${round(x(b.low))} ${round(cy)} H${round(x(b.high))} M${round(x(b.low))} ${round(cy - 4)} V${round(cy + 4)} M${round(x(b.high))} ${round(cy - 4)} V${round(cy + 4)}" stroke="#333333" fill="none"/>`,
      );
    }
    const noteX = Math.max(x(b.value), b.high !== undefined ? x(b.high) : 0) + 6;
    parts.push(text({ x: noteX, y: y + h - 3, fill: "#333333" }, b.note ?? format(b.value)));
  });
  return svgDocument(width, height, options.title ?? `Bar chart of ${bars.length} item(s)`, parts.join(""));
}

/** A text bar chart: label, a bar of block characters, the note. */
export function barChartText(bars: readonly Bar[], format: (v: number) => string = String, columns = 40): string {
  const max = Math.max(1e-12, ...bars.map((b) => b.value));
  const w = Math.max(...bars.map((b) => displayWidth(b.label)), 1);
  return bars
    .map(
      (b) =>
        `${padToWidth(b.label, w)} ${"█".repeat(Math.max(b.value > 0 ? 1 : 0, Math.round((b.value / max) * columns))).padEnd(columns)} ${b.note ?? format(b.value)}`,
    )
    .join("\n");
}

/** An SVG wrapped for embedding into HTML next to a table. */
export function inlineSvg(svg: string): string {
  return `<div class="spindle-chart">${svg}</div>`;
}
