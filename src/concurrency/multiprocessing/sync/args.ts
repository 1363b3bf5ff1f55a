/** Python's `(block=True, timeout=None)` pair, accepted positionally or as one options object. */
import { checkSeconds } from "../../time/scale";

/** Options of a call that may wait: `block` false never waits; `timeout` in seconds. */
export interface WaitOptions {
  /** Wait at all (default true). */
  block?: boolean;
  /** The longest wait in seconds (scaled by SPINDLE_TIME_SCALE); omit to wait forever. */
  timeout?: number | null;
}

/** Normalizes `(block, timeout)` or `({ block, timeout })` to `[block, timeoutSeconds | null]`. */
export function waitArgs(
  blockOrOptions: boolean | WaitOptions | undefined,
  timeout: number | null | undefined,
  what: string,
): [boolean, number | null] {
  let block = true;
  let t: number | null | undefined = timeout;
  if (typeof blockOrOptions === "object" && blockOrOptions !== null) {
    block = blockOrOptions.block ?? true;
    t = blockOrOptions.timeout;
  } else if (typeof blockOrOptions === "boolean") {
    block = blockOrOptions;
  }
  if (t === undefined || t === null) return [block, null];
  return [block, checkSeconds(t, `${what} timeout`)];
}
