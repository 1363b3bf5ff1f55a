/**
 * Errors raised while packing code or values for another thread or process.
 * Raised at `start()` (or `apply()`), never later inside the worker.
 */
import { SpindleError, registerErrorClass } from "../../errors";

/** Stable codes of shipping errors. */
export type ShippingErrorCode =
  | "ERR_SPINDLE_SHIP_MUTABLE_CAPTURE"
  | "ERR_SPINDLE_SHIP_UNCLONEABLE"
  | "ERR_SPINDLE_SHIP_NATIVE_FUNCTION"
  | "ERR_SPINDLE_SHIP_BAD_SOURCE"
  | "ERR_SPINDLE_SHIP_UNKNOWN_REF"
  | "ERR_SPINDLE_SHIP_NOT_CALLABLE";

/** Something a thread's or process's code uses cannot travel there. */
export class ShippingError extends SpindleError<ShippingErrorCode> {}
registerErrorClass("ShippingError", ShippingError);
