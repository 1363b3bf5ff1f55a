/**
 * `spindle/grading`: what test cells of an assignment import.
 *
 * `points(2, "ordering correct, bound broken")` as a test cell's last
 * expression gives partial credit: its text/plain is the number, which
 * nbgrader and `spindle grade` both read as the cell's score, and the message
 * travels beside it to the feedback.
 */
import { inspect } from "node:util";
import { SpindleError } from "../errors";
import { POINTS_MIME } from "./scoring/score";
import { escapeXml } from "../display/escape";
import { JUPYTER_DISPLAY } from "../display/mime";

export { POINTS_MIME } from "./scoring/score";

/** A partial score with a message, shown as a cell's result. */
export class Points {
  /** Creates a score of `value` points with an optional message for the student. */
  constructor(
    readonly value: number,
    readonly message?: string,
  ) {}

  /** The mime bundle Jupyter shows: text/plain is the bare number (what nbgrader parses). */
  [JUPYTER_DISPLAY](): Record<string, unknown> {
    const text = String(this.value);
    const bundle: Record<string, unknown> = {
      "text/plain": text,
      [POINTS_MIME]: { points: this.value, message: this.message ?? "" },
    };
    if (this.message) bundle["text/html"] = `<p><strong>${text} points</strong>: ${escapeXml(this.message)}</p>`;
    return bundle;
  }

  /** Plain text form, also used when the value is printed. */
  toString(): string {
    return String(this.value);
  }

  /** Keeps `util.inspect` (and console.log) to the bare number, so text/plain always parses. */
  [inspect.custom](): string {
    return String(this.value);
  }
}

/** Partial credit: use `points(n, "why")` as the last expression of a test cell. */
export function points(value: number, message?: string): Points {
  if (typeof value !== "number" || !Number.isFinite(value) || value < 0) {
    throw new SpindleError(`points(value) needs a finite number ≥ 0 (got ${String(value)}).`, "ERR_SPINDLE_BAD_POINTS");
  }
  if (message !== undefined && typeof message !== "string") {
    throw new SpindleError("points(value, message): message must be a string.", "ERR_SPINDLE_BAD_POINTS");
  }
  return new Points(value, message);
}

// Test cells rely on these: a cell cannot patch them (tamper detection reports a replaced module record).
Object.freeze(Points.prototype);
Object.freeze(Points);
Object.freeze(module.exports);
