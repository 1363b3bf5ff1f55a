/** Formatting of values in tables and labels: short, stable, readable as plain text. */
import { inspect } from "node:util";

/** Text for one table cell: numbers rounded to 4 significant digits, objects inspected on one line. */
export function formatCell(value: unknown): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "number") return formatNumber(value);
  if (typeof value === "string") return value;
  if (typeof value === "bigint" || typeof value === "boolean") return String(value);
  if (value instanceof Date) return value.toISOString();
  return inspect(value, { depth: 2, colors: false, breakLength: Infinity, maxArrayLength: 10 });
}

/** A number with at most 4 significant digits after the point (integers kept whole). */
export function formatNumber(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  if (Number.isInteger(n)) return String(n);
  const abs = Math.abs(n);
  if (abs >= 1000) return n.toFixed(1);
  if (abs >= 1e-3) return String(Number(n.toPrecision(4)));
  return n.toExponential(2);
}

/** A duration given in seconds, in the unit that reads best: "1.23 s", "45.6 ms", "789 µs", "12 ns". */
export function formatSeconds(seconds: number): string {
  if (!Number.isFinite(seconds)) return String(seconds);
  if (seconds === 0) return "0 s";
  const abs = Math.abs(seconds);
  if (abs >= 1) return `${trim(seconds, 3)} s`;
  if (abs >= 1e-3) return `${trim(seconds * 1e3, 3)} ms`;
  if (abs >= 1e-6) return `${trim(seconds * 1e6, 3)} µs`;
  return `${trim(seconds * 1e9, 3)} ns`;
}

/** Like IPython's timing text: 3 significant digits, never in exponent form. */
function trim(value: number, digits: number): string {
  const abs = Math.abs(value);
  const decimals = abs >= 100 ? 0 : abs >= 10 ? Math.max(0, digits - 2) : Math.max(0, digits - 1);
  return value.toFixed(decimals);
}
