/**
 * `queue.Empty` and `queue.Full`, as Python's `queue` module names them.
 */
import { codedError, registerErrorClass } from "../../errors";

/** `get` found nothing in time, or `getNowait` found the queue empty (Python's `queue.Empty`). */
export class Empty extends codedError(
  "ERR_SPINDLE_QUEUE_EMPTY",
  "The queue is empty; wait longer (a larger timeout) or catch Empty.",
) {}

/** `put` found no room in time, or `putNowait` found the queue full (Python's `queue.Full`). */
export class Full extends codedError(
  "ERR_SPINDLE_QUEUE_FULL",
  "The queue is full; wait longer (a larger timeout), raise maxsize, or catch Full.",
) {}

registerErrorClass("Empty", Empty);
registerErrorClass("Full", Full);
