/**
 * `compare({ serial, threads, processes })`: runs each variant `repeat` times
 * (round-robin, so a busy moment of the machine hurts every variant alike)
 * and renders one table — median wall, min, max, CPU time, CPU/wall, speedup
 * vs the first — with a bar chart. A progress bar appears when a run in a
 * notebook takes longer than a second.
 */
import { SpindleError } from "../errors";
import { barChartSvg, barChartText, inlineSvg } from "../display/bar-chart";
import { formatSeconds } from "../display/format";
import { wordsFor, type DisplayLang } from "../display/lang";
import { timeTickLabel } from "../display/svg";
import { JUPYTER_DISPLAY, type MimeBundle } from "../display/mime";
import { compareVegaLite, VEGA_LITE_MIME, VegaLiteChart } from "./vega-lite";
import { ProgressBar } from "../display/progress";
import { Table } from "../display/table";
import { measure } from "./measure";

/** Options of `compare`. */
export interface CompareOptions {
  /** Timed runs per variant (default 3). */
  repeat?: number;
  /** Untimed runs per variant before timing (default 0). */
  warmup?: number;
  /** A caption for the table and chart. */
  title?: string;
  /** Show a progress bar in notebooks when the comparison is slow (default true). */
  progress?: boolean;
  /** Language of the table's column names and the chart's words: "en" (default) or "zh". */
  lang?: DisplayLang;
}

/** The measurements of one variant; durations in seconds. */
export interface CompareRow {
  variant: string;
  /** Wall seconds of each timed run. */
  runs: number[];
  median: number;
  min: number;
  max: number;
  /** Median CPU seconds (user + sys, this process's threads and its child processes). */
  cpu: number;
  /** Median wall of the first variant divided by this one's. */
  speedup: number;
  /** What the variant returned on its last run. */
  value: unknown;
}

/** The result of `compare`: one row per variant, rendered as a table and a bar chart. */
export class CompareResult {
  /** Creates a result from measured rows. */
  constructor(
    readonly rows: readonly CompareRow[],
    readonly title?: string,
    /** Language of the column names and chart words. */
    readonly lang: DisplayLang = "en",
  ) {
    wordsFor(lang);
  }

  /** The row of variant `name`. */
  row(name: string): CompareRow | undefined {
    return this.rows.find((r) => r.variant === name);
  }

  /** The results table (variant, median wall, min, max, CPU time, CPU/wall, speedup). */
  table(): Table {
    const words = wordsFor(this.lang);
    return new Table(
      this.rows.map((r) => ({
        variant: r.variant,
        median: formatSeconds(r.median),
        min: formatSeconds(r.min),
        max: formatSeconds(r.max),
        cpu: formatSeconds(r.cpu),
        ratio: r.median > 0 ? (r.cpu / r.median).toFixed(2) : "–",
        speedup: `${r.speedup >= 10 ? r.speedup.toFixed(0) : r.speedup.toFixed(2)}×`,
      })),
      {
        caption: this.title,
        columns: [
          { key: "variant", label: words.variant, align: "left" },
          { key: "median", label: words.medianWall, align: "right" },
          { key: "min", label: words.min, align: "right" },
          { key: "max", label: words.max, align: "right" },
          { key: "cpu", label: words.cpuTime, align: "right" },
          { key: "ratio", label: words.cpuPerWall, align: "right" },
          { key: "speedup", label: words.speedupVs(this.rows[0]?.variant ?? "first"), align: "right" },
        ],
      },
    );
  }

  /** Bar chart of median wall time with min–max whiskers. */
  chartSvg(): string {
    const words = wordsFor(this.lang);
    return barChartSvg(
      this.rows.map((r) => ({
        label: r.variant,
        value: r.median,
        low: r.min,
        high: r.max,
        note: formatSeconds(r.median),
      })),
      { title: words.medianWallTitle(this.title), format: axisSeconds, axisLabel: words.wallAxis },
    );
  }

  /** Table and a text bar chart. */
  toText(): string {
    const bars = barChartText(
      this.rows.map((r) => ({ label: r.variant, value: r.median, note: formatSeconds(r.median) })),
    );
    return `${this.table().toText()}\n\n${bars}`;
  }

  /** HTML table plus the SVG chart for notebooks; Markdown table; text table and bars. */
  [JUPYTER_DISPLAY](): MimeBundle {
    const t = this.table();
    return {
      "text/html": `<div class="spindle-compare">${t.toHTML()}${inlineSvg(this.chartSvg())}</div>`,
      "text/markdown": t.toMarkdown(),
      "text/plain": this.toText(),
      [VEGA_LITE_MIME]: compareVegaLite(this.rows, this.title),
    };
  }

  /** The bar chart alone: interactive Vega-Lite in JupyterLab (where the table's HTML would otherwise win), SVG elsewhere. */
  chart(): VegaLiteChart {
    return new VegaLiteChart(compareVegaLite(this.rows, this.title), this.chartSvg(), this.toText());
  }

  /** The text form. */
  toString(): string {
    return this.toText();
  }
}

/** Runs every variant `repeat` times and compares their wall and CPU times. */
export async function compare(
  variants: Record<string, () => unknown>,
  options: CompareOptions = {},
): Promise<CompareResult> {
  wordsFor(options.lang); // a bad lang fails before anything runs
  const names = Object.keys(variants);
  if (names.length === 0) {
    throw new SpindleError(
      "compare() needs at least one variant, e.g. compare({ serial: () => work() }).",
      "ERR_SPINDLE_COMPARE_EMPTY",
    );
  }
  const repeat = count(options.repeat ?? 3, "repeat", 1);
  const warmup = count(options.warmup ?? 0, "warmup", 0);
  const total = names.length * (repeat + warmup);
  // The bar appears only for a comparison still running after a second; quick ones stay quiet.
  const bar = new ProgressBar({
    total,
    label: options.title ?? "compare",
    delay: 1,
    enabled: options.progress === false ? false : undefined,
  });
  let done = 0;
  const step = (): void => bar.set(++done);
  const runs = new Map<string, { wall: number[]; cpu: number[]; value: unknown }>(
    names.map((n) => [n, { wall: [], cpu: [], value: undefined }]),
  );
  try {
    for (let r = 0; r < warmup + repeat; r++) {
      for (const name of names) {
        const fn = variants[name] as () => unknown;
        let m;
        try {
          m = await measure(fn);
        } catch (err) {
          throw new SpindleError(
            `compare(): variant "${name}" failed: ${err instanceof Error ? err.message : String(err)}`,
            "ERR_SPINDLE_COMPARE_VARIANT",
            { cause: err },
          );
        }
        const slot = runs.get(name);
        if (slot && r >= warmup) {
          slot.wall.push(m.wall);
          slot.cpu.push(m.user + m.sys);
          slot.value = m.value;
        }
        step();
      }
    }
  } catch (err) {
    bar.close("error");
    throw err;
  }
  bar.close("done");
  const rows = names.map((variant) => {
    const slot = runs.get(variant) ?? { wall: [0], cpu: [0], value: undefined };
    return {
      variant,
      runs: slot.wall,
      median: median(slot.wall),
      min: Math.min(...slot.wall),
      max: Math.max(...slot.wall),
      cpu: median(slot.cpu),
      speedup: 1,
      value: slot.value,
    };
  });
  const base = rows[0]?.median ?? 0;
  for (const r of rows) r.speedup = r.median > 0 ? base / r.median : Infinity;
  return new CompareResult(rows, options.title, options.lang);
}

/** The median of a non-empty list. */
export function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? (s[mid] ?? 0) : ((s[mid - 1] ?? 0) + (s[mid] ?? 0)) / 2;
}

function axisSeconds(v: number): string {
  return timeTickLabel(v);
}

function count(value: unknown, name: string, min: number): number {
  if (typeof value !== "number" || !Number.isInteger(value) || value < min) {
    throw new SpindleError(
      `compare option "${name}" must be a whole number ≥ ${min} (got ${String(value)}).`,
      "ERR_SPINDLE_COMPARE_OPTION",
    );
  }
  return value;
}
