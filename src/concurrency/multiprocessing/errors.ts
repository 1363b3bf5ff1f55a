/**
 * Errors raised by `spindle/multiprocessing`, with Python's names where users
 * expect them and stable codes. Each is registered so it keeps its class when
 * it crosses a process or thread boundary.
 */
import { SpindleError, registerErrorClass } from "../../errors";

// Python's multiprocessing raises queue.Empty / queue.Full too: one class each, shared with spindle/queue.
export { Empty, Full } from "../queue/errors";

/** `Connection.recv` on a pipe whose other end is closed and drained (Python's `EOFError`). */
export class EOFError extends SpindleError {
  /** Creates the error. */
  constructor(message = "The other end of the pipe was closed and every message sent before that has been received.") {
    super(message, "ERR_SPINDLE_PIPE_EOF");
  }
}

/** A pool worker or process ended abnormally while a task was running on it. */
export class ProcessCrashedError extends SpindleError {
  /** Creates the error with the exit details. */
  constructor(message: string) {
    super(message, "ERR_SPINDLE_PROCESS_CRASHED");
  }
}

/** Waiting for a result took longer than the timeout (Python's `multiprocessing.TimeoutError`). */
export class TimeoutError extends SpindleError {
  /** Creates the error. */
  constructor(message: string) {
    super(message, "ERR_SPINDLE_TIMEOUT");
  }
}

/** An API was used in a way that cannot work (wrong state, wrong direction, closed object). */
export class ProcessStateError extends SpindleError {
  /** Creates the error with a code naming the exact misuse. */
  constructor(message: string, code: string) {
    super(message, code);
  }
}

for (const cls of [EOFError, ProcessCrashedError, TimeoutError]) {
  registerErrorClass(cls.name, cls as unknown as new (message: string) => Error);
}
registerErrorClass("ProcessStateError", ProcessStateError as unknown as new (message: string) => Error);
