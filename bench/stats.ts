/**
 * What every benchmark reports: the median and the min–max of several runs,
 * so a reader sees the spread a busy machine leaves and not one lucky figure.
 */

/** The median of `xs` (the mean of the two middle values for an even count). */
export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** The `p`th percentile of `xs` (nearest rank). */
export function percentile(xs: readonly number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))]!;
}

/** Median and range of several runs. */
export interface Spread {
  median: number;
  min: number;
  max: number;
  runs: number;
}

/** The median and min–max of `xs` (NaN entries, runs that measured nothing, are dropped). */
export function spread(xs: readonly number[]): Spread {
  const ok = xs.filter((x) => !Number.isNaN(x));
  if (ok.length === 0) return { median: NaN, min: NaN, max: NaN, runs: 0 };
  return { median: median(ok), min: Math.min(...ok), max: Math.max(...ok), runs: ok.length };
}

/** "median (min–max)" with `format` applied to each figure. */
export function showSpread(s: Spread, format: (n: number) => string): string {
  if (s.runs === 0) return "–";
  return `${format(s.median)} (${format(s.min)}–${format(s.max)})`;
}
