/** Errors of `spindle/widgets`. */
import { registerErrorClass, SpindleError } from "../errors";

/** A widget was given an option or value it cannot take; the message names the widget, the key and what fits. */
export class WidgetError extends SpindleError {
  /** Creates the error with a message that says what to pass instead. */
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, "ERR_SPINDLE_WIDGET", options);
  }
}

registerErrorClass("WidgetError", WidgetError);
