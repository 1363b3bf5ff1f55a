/**
 * Python's `acquire(blocking=True, timeout=-1)` as TypeScript: either
 * `acquire()`, `acquire(false)`, `acquire(true, 0.5)` or
 * `acquire({ blocking, timeout })`. Timeouts are in seconds.
 */
import { deadlineOf } from "../shared/futex";
import { ValueError } from "./errors";

/** Options of every `acquire`: `blocking` (default true) and `timeout` in seconds (default: forever). */
export interface AcquireOptions {
  /** False: take it only if free right now (default true). */
  blocking?: boolean;
  /** Longest wait in seconds (scaled by SPINDLE_TIME_SCALE); -1, null or absent: forever. */
  timeout?: number | null;
}

/** `acquire`'s accepted first argument. */
export type AcquireArg = boolean | AcquireOptions | undefined;

/** Resolves acquire's arguments to "try once" or a deadline. */
export function acquireDeadline(arg: AcquireArg, timeout: number | null | undefined, what: string): number | "try" {
  if (timeout === undefined) {
    // The common cases, without allocating.
    if (arg === undefined || arg === true) return Infinity;
    if (arg === false) return "try";
  }
  const opts: AcquireOptions =
    typeof arg === "boolean" ? { blocking: arg, timeout } : { ...arg, timeout: arg?.timeout ?? timeout };
  const blocking = opts.blocking ?? true;
  const t = opts.timeout;
  if (!blocking) {
    if (t !== undefined && t !== null && t !== -1) {
      throw new ValueError(
        `${what}: a timeout cannot be given with blocking = false; drop one of them.`,
        "ERR_SPINDLE_BAD_ACQUIRE",
      );
    }
    return "try";
  }
  return deadlineOf(t, `${what} timeout`);
}
