/**
 * Errors of `spindle/threading`, named as Python names them so ported code
 * reads the same, each with a stable code and registered so it keeps its
 * class when it crosses a thread boundary.
 */
import { SpindleError, registerErrorClass } from "../../errors";

/** Misuse of a primitive or thread: releasing an unlocked lock, starting twice… (Python's `RuntimeError`). */
export class RuntimeError extends SpindleError {
  /** Creates the error with a code naming the exact misuse. */
  constructor(message: string, code = "ERR_SPINDLE_RUNTIME") {
    super(message, code);
  }
}

/** A bad value: releasing a BoundedSemaphore too many times, a negative count… (Python's `ValueError`). */
export class ValueError extends SpindleError {
  /** Creates the error with a code naming the exact problem. */
  constructor(message: string, code = "ERR_SPINDLE_VALUE") {
    super(message, code);
  }
}

/** A Barrier was broken (reset, aborted, timed out, or its action failed) (Python's `threading.BrokenBarrierError`). */
export class BrokenBarrierError extends SpindleError {
  /** Creates the error. */
  constructor(message = "The barrier is broken (it was reset or aborted, a wait timed out, or its action failed); call reset() to use it again.") {
    super(message, "ERR_SPINDLE_BROKEN_BARRIER");
  }
}

/** A blocking call was made on the main thread, whose event loop must stay free. */
export class WouldBlockError extends SpindleError {
  /** Creates the error; `call` names the blocking call and `instead` the awaitable form to use. */
  constructor(call: string, instead: string) {
    super(
      `${call} blocks, and the main thread must never block (it forwards every thread's output and answers the kernel). ` +
        `Use \`${instead}\` here; blocking forms are for code running inside a Thread.`,
      "ERR_SPINDLE_WOULD_BLOCK_MAIN",
    );
  }
}

registerErrorClass("RuntimeError", RuntimeError as unknown as new (message: string) => Error);
registerErrorClass("ValueError", ValueError as unknown as new (message: string) => Error);
registerErrorClass("BrokenBarrierError", BrokenBarrierError as unknown as new (message: string) => Error);
registerErrorClass("WouldBlockError", WouldBlockError as unknown as new (message: string) => Error);
