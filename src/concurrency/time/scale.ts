/**
 * SPINDLE_TIME_SCALE: one factor applied to every Spindle sleep and timeout, so
 * notebooks written with teaching-time sleeps (1 s) run in CI at a fraction.
 */
import { SpindleError } from "../../errors";

let cached: number | undefined;

/** The time scale factor (default 1); read once from SPINDLE_TIME_SCALE. */
export function timeScale(): number {
  if (cached === undefined) cached = parseScale(process.env.SPINDLE_TIME_SCALE);
  return cached;
}

/** Overrides the time scale for this thread (tests, or a worker told its parent's scale). */
export function setTimeScale(factor: number): void {
  cached = parseScale(String(factor));
}

/** Converts a duration in seconds (as the user wrote it) to scaled milliseconds. */
export function scaledMs(seconds: number): number {
  return seconds * 1000 * timeScale();
}

/** Validates a user-supplied duration in seconds; `what` names the parameter in the error. */
export function checkSeconds(seconds: unknown, what: string): number {
  if (typeof seconds !== "number" || Number.isNaN(seconds) || seconds < 0) {
    throw new SpindleError(
      `${what} must be a number of seconds ≥ 0 (got ${String(seconds)}); durations in Spindle are in seconds, as in Python.`,
      "ERR_SPINDLE_BAD_DURATION",
    );
  }
  return seconds;
}

function parseScale(raw: string | undefined): number {
  if (raw === undefined || raw.trim() === "") return 1;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) {
    throw new SpindleError(
      `SPINDLE_TIME_SCALE must be a positive number such as 0.1 (got "${raw}").`,
      "ERR_SPINDLE_BAD_TIME_SCALE",
    );
  }
  return value;
}
