/**
 * `timeit(fn)` and `%timeit`: IPython's method. The loop count grows 1, 2, 5,
 * 10, 20, 50… until one batch takes at least 0.2 s; then `repeat` batches are
 * timed and reported as mean ± standard deviation per loop. A function that
 * returns a promise is awaited on every call; a synchronous one runs in a
 * tight loop, so the await does not pollute the measurement.
 */
import { SpindleError } from "../errors";
import { formatSeconds } from "../display/format";
import { JUPYTER_DISPLAY, type MimeBundle } from "../display/mime";
import { Table } from "../display/table";
import { isThenable } from "./measure";

/** Options of `timeit`. */
export interface TimeitOptions {
  /** How many batches to time (default 7, as IPython). */
  repeat?: number;
  /** Calls per batch (default: chosen so that one batch takes ≥ 0.2 s). */
  number?: number;
}

/** The result of `timeit`: per-loop times in seconds. */
export class TimeitResult {
  /** Creates a result from per-loop seconds of each batch. */
  constructor(
    /** Calls per batch. */
    readonly loops: number,
    /** Seconds per call, one entry per batch. */
    readonly timings: readonly number[],
  ) {}

  /** Number of batches. */
  get repeat(): number {
    return this.timings.length;
  }

  /** Mean seconds per call. */
  get average(): number {
    return this.timings.reduce((a, b) => a + b, 0) / this.timings.length;
  }

  /** Population standard deviation of the per-batch means, in seconds (IPython's). */
  get stdev(): number {
    const m = this.average;
    return Math.sqrt(this.timings.reduce((a, t) => a + (t - m) ** 2, 0) / this.timings.length);
  }

  /** Fastest batch, seconds per call. */
  get best(): number {
    return Math.min(...this.timings);
  }

  /** Slowest batch, seconds per call. */
  get worst(): number {
    return Math.max(...this.timings);
  }

  /** IPython's line: "1.23 ms ± 45.6 µs per loop (mean ± std. dev. of 7 runs, 100 loops each)". */
  toText(): string {
    const runs = `${this.repeat} run${this.repeat === 1 ? "" : "s"}`;
    const loops = `${this.loops} loop${this.loops === 1 ? "" : "s"} each`;
    const line =
      this.repeat > 1
        ? `${formatSeconds(this.average)} ± ${formatSeconds(this.stdev)} per loop (mean ± std. dev. of ${runs}, ${loops})`
        : `${formatSeconds(this.average)} per loop (mean of ${runs}, ${loops})`;
    const warn =
      this.worst > 4 * this.best && this.worst > 1e-6
        ? `\nThe slowest run took ${(this.worst / this.best).toFixed(2)} times longer than the fastest. This could mean that an intermediate result is being cached, or that the machine was busy.`
        : "";
    return line + warn;
  }

  /** One-row table (mean, std. dev., best, worst, loops, runs) plus the text line. */
  [JUPYTER_DISPLAY](): MimeBundle {
    const t = new Table(
      [
        {
          mean: formatSeconds(this.average),
          std: formatSeconds(this.stdev),
          best: formatSeconds(this.best),
          worst: formatSeconds(this.worst),
          loops: this.loops,
          runs: this.repeat,
        },
      ],
      {
        columns: [
          { key: "mean", label: "mean per loop", align: "right" },
          { key: "std", label: "± std. dev.", align: "right" },
          { key: "best", align: "right" },
          { key: "worst", align: "right" },
          "loops",
          "runs",
        ],
      },
    );
    return { "text/html": t.toHTML(), "text/markdown": t.toMarkdown(), "text/plain": this.toText() };
  }

  /** The text line. */
  toString(): string {
    return this.toText();
  }
}

const MIN_BATCH_SECONDS = 0.2;

/** Times `fn` like IPython's %timeit; resolves with per-loop statistics. */
export async function timeit(fn: () => unknown, options: TimeitOptions = {}): Promise<TimeitResult> {
  const repeat = checkCount(options.repeat ?? 7, "repeat");
  if (options.number !== undefined) checkCount(options.number, "number");
  // The first call tells whether fn is asynchronous; it also warms up the JIT.
  const first = fn();
  const isAsync = isThenable(first);
  if (isAsync) await first;
  const batch = isAsync ? asyncBatch(fn) : syncBatch(fn);
  let number = options.number;
  if (number === undefined) {
    number = 1;
    for (let scale = 1; ; scale *= 10) {
      const found = await findNumber(batch, scale);
      if (found !== undefined) {
        number = found;
        break;
      }
      if (scale > 1e9) break;
    }
  }
  const timings: number[] = [];
  for (let r = 0; r < repeat; r++) timings.push((await batch(number)) / number);
  return new TimeitResult(number, timings);
}

async function findNumber(batch: (n: number) => Promise<number>, scale: number): Promise<number | undefined> {
  for (const m of [1, 2, 5]) {
    const n = m * scale;
    if ((await batch(n)) >= MIN_BATCH_SECONDS) return n;
  }
  return undefined;
}

function syncBatch(fn: () => unknown): (n: number) => Promise<number> {
  return async (n) => {
    const t0 = performance.now();
    for (let i = 0; i < n; i++) fn();
    return (performance.now() - t0) / 1000;
  };
}

function asyncBatch(fn: () => unknown): (n: number) => Promise<number> {
  return async (n) => {
    const t0 = performance.now();
    for (let i = 0; i < n; i++) await fn();
    return (performance.now() - t0) / 1000;
  };
}

function checkCount(value: unknown, name: string): number {
  if (typeof value !== "number" || !Number.isInteger(value) || value < 1) {
    throw new SpindleError(
      `timeit option "${name}" must be a whole number ≥ 1 (got ${String(value)}).`,
      "ERR_SPINDLE_TIMEIT_OPTION",
    );
  }
  return value;
}
