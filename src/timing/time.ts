/** `time(fn)` and `%time`: one run's wall time, CPU time (user + sys) and their ratio. */
import { formatSeconds } from "../display/format";
import { JUPYTER_DISPLAY, type MimeBundle } from "../display/mime";
import { Table } from "../display/table";
import { measure } from "./measure";

/** The result of `time(fn)`: all durations in seconds. */
export class TimeResult<T = unknown> {
  /** Creates a result from one measured run. */
  constructor(
    /** What `fn` returned. */
    readonly value: T,
    /** Wall-clock seconds. */
    readonly wall: number,
    /** User-mode CPU seconds (all threads of this process and its child processes). */
    readonly user: number,
    /** Kernel-mode CPU seconds. */
    readonly sys: number,
  ) {}

  /** user + sys. */
  get cpu(): number {
    return this.user + this.sys;
  }

  /** CPU time / wall time: about 1 for one busy core, 2 for two, near 0 when mostly waiting. */
  get ratio(): number {
    return this.wall > 0 ? this.cpu / this.wall : 0;
  }

  /** False for runs under 10 ms: CPU time is accounted in coarse steps, so their ratio means little. */
  get ratioMeaningful(): boolean {
    return this.wall >= 0.01;
  }

  /** What the ratio means, in a few words. */
  get reading(): string {
    if (!this.ratioMeaningful) return "too short to judge";
    const r = this.ratio;
    if (r < 0.2) return "mostly waiting (sleep, I/O, other processes)";
    if (r < 0.8) return "partly waiting";
    if (r < 1.3) return "about one core busy";
    return `about ${r.toFixed(1)} cores busy`;
  }

  /** IPython's two lines plus the ratio. */
  toText(): string {
    return (
      `CPU times: user ${formatSeconds(this.user)}, sys: ${formatSeconds(this.sys)}, total: ${formatSeconds(this.cpu)}\n` +
      `Wall time: ${formatSeconds(this.wall)}  (CPU/wall ${this.ratioMeaningful ? this.ratio.toFixed(2) : "–"}: ${this.reading})`
    );
  }

  /** A small table for notebooks, the text lines elsewhere. */
  [JUPYTER_DISPLAY](): MimeBundle {
    const t = new Table(
      [
        {
          wall: formatSeconds(this.wall),
          user: formatSeconds(this.user),
          sys: formatSeconds(this.sys),
          cpu: formatSeconds(this.cpu),
          ratio: this.ratioMeaningful ? this.ratio.toFixed(2) : "–",
          reading: this.reading,
        },
      ],
      {
        columns: [
          "wall",
          "user",
          "sys",
          { key: "cpu", label: "CPU total" },
          { key: "ratio", label: "CPU/wall", align: "right" },
          "reading",
        ],
      },
    );
    return { "text/html": t.toHTML(), "text/markdown": t.toMarkdown(), "text/plain": this.toText() };
  }

  /** The text form. */
  toString(): string {
    return this.toText();
  }
}

/** Runs `fn` once and measures wall and CPU time; resolves with a `TimeResult` (its `value` is what `fn` returned). */
export async function time<T>(fn: () => T | Promise<T>): Promise<TimeResult<Awaited<T>>> {
  const m = await measure(fn);
  return new TimeResult(m.value, m.wall, m.user, m.sys);
}
