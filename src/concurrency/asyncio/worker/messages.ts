/** Messages between `toThread`'s host side and the worker that runs the function (both sides import only this). */
import type { SerializedError } from "../../../errors";

/** What the worker receives as `workerData`. */
export interface RunFunctionData {
  /** The function's source text (`fn.toString()`). */
  source: string;
  /** Arguments, structured-cloned. */
  args: unknown[];
  /** The parent's SPINDLE_TIME_SCALE, so sleeps inside the worker match. */
  timeScale: number;
}

/** The worker's one reply. */
export type RunFunctionResult = { ok: true; value: unknown } | { ok: false; error: SerializedError };
