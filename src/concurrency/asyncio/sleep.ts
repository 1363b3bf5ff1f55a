/**
 * `sleep`: the basic await point. Durations are seconds, scaled by
 * SPINDLE_TIME_SCALE; cancelling the task (or interrupting the cell) ends the
 * sleep early with `CancelledError`.
 */
import { checkSeconds, scaledMs } from "../time/scale";
import { tracing } from "../shared/trace";
import { suspend, type Suspension } from "./scope";
import { controlled } from "./controlled";

/** Suspends the current task for `seconds` (scaled by SPINDLE_TIME_SCALE), then resolves to `result`. */
export function sleep(seconds: number): Promise<void>;
/** Suspends for `seconds`, then resolves to `result` (Python's `asyncio.sleep(delay, result)`). */
export function sleep<T>(seconds: number, result: T): Promise<T>;
export function sleep<T>(seconds: number, result?: T): Promise<T | undefined> {
  try {
    checkSeconds(seconds, "asyncio.sleep(seconds)");
  } catch (err) {
    return Promise.reject(err);
  }
  const ms = scaledMs(seconds);
  return suspend<T | undefined>(
    (s) => {
      s.data = result;
      if (controlled.on) return ms === 0 ? s.resolve(result) : s.sleepFor(ms, result); // virtual while explored
      // sleep(0) only yields to other tasks, as in Python: setImmediate lets timers and I/O run without a 1 ms floor.
      if (ms === 0) s.immediate = setImmediate(wake, s);
      else s.timer = setTimeout(wake, ms, s);
    },
    undefined,
    (ms > 0 && tracing()) || controlled.on ? { kind: "sleep", what: `sleep(${seconds})` } : undefined,
  );
}

function wake<T>(s: Suspension<T>): void {
  s.resolve(s.data as T);
}
