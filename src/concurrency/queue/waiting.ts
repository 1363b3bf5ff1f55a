/**
 * How queue calls wait: Python's `block`/`timeout` arguments, the brief spin
 * before sleeping, and the Empty/Full errors that say how long was waited.
 */
import { deadlineOf } from "../shared/futex";
import { scaledMs } from "../time/scale";
import { ValueError } from "../threading/errors";
import { Empty, Full } from "./errors";

/** `put`/`get`'s second argument: Python's `block` flag, or `{ block, timeout }`. */
export type BlockArg = boolean | { block?: boolean; timeout?: number | null } | undefined;

/** Checks of the queue's counters before a blocked thread goes to sleep (a few microseconds). */
const SPIN = 256;

/** Resolves `block`/`timeout` to "do not wait" or a deadline. */
export function waitMode(
  block: BlockArg,
  timeout: number | null | undefined,
  what: string,
): { deadline: number; wait: boolean } {
  const opts = typeof block === "object" ? block : { block, timeout };
  if (opts.block === false) return { deadline: 0, wait: false };
  const t = opts.timeout ?? timeout;
  if (typeof t === "number" && t < 0)
    throw new ValueError(`'timeout' must be a non-negative number (got ${t}).`, "ERR_SPINDLE_QUEUE_TIMEOUT");
  return { deadline: deadlineOf(t, `Queue.${what} timeout`), wait: true };
}

/** Spins while `h[index] === value` (up to SPIN checks); true when it changed. */
export function spinWhile(h: Int32Array, index: number, value: number): boolean {
  for (let i = 0; i < SPIN; i++) if (Atomics.load(h, index) !== value) return true;
  return false;
}

/** The Full error of a put that did not wait (timeout 0) or waited `timeout` seconds. */
export function fullError(maxsize: number, timeout: number | null | undefined): Full {
  return new Full(
    timeout
      ? `Queue.put waited ${timeout} s (${Math.round(scaledMs(timeout))} ms scaled) and the queue stayed full (maxsize ${maxsize}); raise the timeout, take items out faster, or catch Full.`
      : `The queue is full (maxsize ${maxsize}); use await put(item) to wait for room, or catch Full.`,
  );
}

/** The Empty error of a get that did not wait (timeout 0) or waited `timeout` seconds. */
export function emptyError(timeout: number | null | undefined): Empty {
  return new Empty(
    timeout
      ? `Queue.get waited ${timeout} s (${Math.round(scaledMs(timeout))} ms scaled) and the queue stayed empty; raise the timeout or catch Empty.`
      : "The queue is empty; use await get() to wait for an item, or getNowait() inside try/catch.",
  );
}
