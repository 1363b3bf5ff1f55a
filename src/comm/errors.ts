/** Errors of `spindle/comm`. */
import { registerErrorClass, SpindleError } from "../errors";

/** A comm was used in a way the protocol does not allow (closed, no frontend, bad data). */
export class CommError extends SpindleError {
  /** Creates the error; the message says what to do instead. */
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, "ERR_SPINDLE_COMM", options);
  }
}

registerErrorClass("CommError", CommError);
