/** Small helpers for writing SVG by hand: valid XML, unique ids, readable axes. */
import { randomBytes } from "node:crypto";
import { escapeXml } from "./escape";
import { formatSeconds } from "./format";

/** A complete standalone SVG document (with a `<title>` for accessibility and text fallbacks). */
export function svgDocument(width: number, height: number, title: string, body: string): string {
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" ` +
    `font-family="Helvetica, Arial, sans-serif" font-size="11" role="img">` +
    `<title>${escapeXml(title)}</title>${body}</svg>`
  );
}

/** An id prefix unique to one chart, since SVGs inlined in one page share an id namespace. */
export function uniqueId(prefix: string): string {
  return `${prefix}-${randomBytes(4).toString("hex")}`;
}

/** Attribute text from a record (undefined values skipped, numbers rounded to 0.01). */
export function attrs(values: Record<string, string | number | undefined>): string {
  return Object.entries(values)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k}="${typeof v === "number" ? round(v) : escapeXml(String(v))}"`)
    .join(" ");
}

/** A `<rect>` with an optional hover title. */
export function rect(a: Record<string, string | number | undefined>, tooltip?: string): string {
  return tooltip === undefined
    ? `<rect ${attrs(a)}/>`
    : `<rect ${attrs(a)}><title>${escapeXml(tooltip)}</title></rect>`;
}

/** A `<text>` element. */
export function text(a: Record<string, string | number | undefined>, content: string): string {
  return `<text ${attrs(a)}>${escapeXml(content)}</text>`;
}

/** Rounds to 2 decimals for compact coordinates. */
export function round(n: number): number {
  return Math.round(n * 100) / 100;
}

/** "Nice" tick positions (1, 2 or 5 × 10^k apart) covering 0…max, about `count` of them. */
export function niceTicks(max: number, count = 6): number[] {
  if (!(max > 0)) return [0];
  const raw = max / count;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? 10 * mag;
  const ticks: number[] = [];
  for (let v = 0; v <= max * (1 + 1e-9); v += step) ticks.push(Number(v.toPrecision(12)));
  return ticks;
}

/** A tick label for a time axis in seconds ("0", "250 ms", "1.5 s"). */
export function timeTickLabel(seconds: number): string {
  return seconds === 0
    ? "0"
    : formatSeconds(seconds)
        .replace(/\.0+ /, " ")
        .replace(/(\.\d*?)0+ /, "$1 ")
        .replace(/\. /, " ");
}
