/** Helpers for the asyncio tests: bounded waits, a cell that records its output, time intervals. */
import { CellContext, type OutputSink } from "../../../src/runtime/cell-context";

// Every wait in these tests is bounded: `bounded(work, ms = 5000, what)` is the shared `within`.
export { within as bounded } from "../../helpers/wait";

/** A real CellContext whose stream output is collected in `text`. */
export function recordingCell(): { cell: CellContext; out: { stdout: string; stderr: string } } {
  const out = { stdout: "", stderr: "" };
  const sink: OutputSink = {
    stream: (name, text) => {
      out[name] += text;
    },
    display: () => undefined,
    clearOutput: () => undefined,
    input: () => Promise.reject(new Error("no stdin in tests")),
  };
  return { cell: new CellContext(`asyncio-test-${Math.random()}`, 1, sink), out };
}

/** A [start, end] interval in ms on the monotonic clock. */
export type Interval = [number, number];

/** Runs `fn` and records when it ran. */
export async function timed<T>(intervals: Interval[], fn: () => Promise<T> | T): Promise<T> {
  const start = performance.now();
  try {
    return await fn();
  } finally {
    intervals.push([start, performance.now()]);
  }
}

/** True if any two intervals overlap in time. */
export function anyOverlap(intervals: Interval[]): boolean {
  const sorted = [...intervals].sort((a, b) => a[0] - b[0]);
  for (let i = 1; i < sorted.length; i++) if (sorted[i]![0] < sorted[i - 1]![1]) return true;
  return false;
}

/** Resolves after `n` turns of the event loop (setImmediate), to let scheduled work run. */
export async function turns(n = 1): Promise<void> {
  for (let i = 0; i < n; i++) await new Promise((r) => setImmediate(r));
}
