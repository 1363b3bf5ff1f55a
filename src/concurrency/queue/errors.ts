/**
 * `queue.Empty` and `queue.Full`, as Python's `queue` module names them.
 */
import { SpindleError, registerErrorClass } from "../../errors";

/** `get` found nothing in time, or `getNowait` found the queue empty (Python's `queue.Empty`). */
export class Empty extends SpindleError {
  /** Creates the error; the message says what waited how long and what to do. */
  constructor(message = "The queue is empty; wait longer (a larger timeout) or catch Empty.") {
    super(message, "ERR_SPINDLE_QUEUE_EMPTY");
  }
}

/** `put` found no room in time, or `putNowait` found the queue full (Python's `queue.Full`). */
export class Full extends SpindleError {
  /** Creates the error; the message says what waited how long and what to do. */
  constructor(message = "The queue is full; wait longer (a larger timeout), raise maxsize, or catch Full.") {
    super(message, "ERR_SPINDLE_QUEUE_FULL");
  }
}

registerErrorClass("Empty", Empty as unknown as new (message: string) => Error);
registerErrorClass("Full", Full as unknown as new (message: string) => Error);
