/**
 * `spindle/time`: Python's `time` module names, durations in seconds.
 * Every sleep is scaled by SPINDLE_TIME_SCALE and ends early (rejecting) when
 * the cell that started it is interrupted.
 */
import { setTimeout as delay } from "node:timers/promises";
import { currentCell } from "../../runtime/cell-context";
import { checkSeconds, scaledMs } from "./scale";
import { traceSpan, traceSpanEnd } from "../shared/trace";
import { controlledSleep } from "../shared/futex";
import { gate } from "../shared/schedule";

export { timeScale, setTimeScale, scaledMs } from "./scale";

/** Waits `seconds` (scaled by SPINDLE_TIME_SCALE); rejects if the cell is interrupted meanwhile. */
export async function sleep(seconds: number): Promise<void> {
  checkSeconds(seconds, "sleep(seconds)");
  if (gate[0] !== 0) {
    const controlled = controlledSleep(scaledMs(seconds));
    if (controlled) return controlled;
  }
  const signal = currentCell()?.signal;
  const span = traceSpan("sleep", `sleep(${seconds})`); // a dotted bar on a recorded timeline; 0 when not recording
  try {
    await delay(scaledMs(seconds), undefined, signal ? { signal } : undefined);
  } finally {
    traceSpanEnd(span, "wake");
  }
}

/** Seconds since the epoch, as a float (Python's `time.time()`). */
export function time(): number {
  return Date.now() / 1000;
}

/** A monotonic clock in seconds with sub-millisecond resolution (Python's `time.perf_counter()`). */
export function perfCounter(): number {
  return performance.now() / 1000;
}

/** A monotonic clock in seconds (Python's `time.monotonic()`). */
export function monotonic(): number {
  return performance.now() / 1000;
}

/** CPU time (user + system) of this process in seconds (Python's `time.process_time()`). */
export function processTime(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
}
