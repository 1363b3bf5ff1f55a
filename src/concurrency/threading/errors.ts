/**
 * Errors of `spindle/threading`, named as Python names them so ported code
 * reads the same, each with a stable code and registered so it keeps its
 * class when it crosses a thread boundary.
 */
import { codedError, registerErrorClass, SpindleError } from "../../errors";

export { RuntimeError, ValueError, type RuntimeErrorCode, type ValueErrorCode } from "../shared/errors";

/** A Barrier was broken (reset, aborted, timed out, or its action failed) (Python's `threading.BrokenBarrierError`). */
export class BrokenBarrierError extends codedError(
  "ERR_SPINDLE_BROKEN_BARRIER",
  "The barrier is broken (it was reset or aborted, a wait timed out, or its action failed); call reset() to use it again.",
) {}

/** A blocking call was made on the main thread, whose event loop must stay free. */
export class WouldBlockError extends SpindleError<"ERR_SPINDLE_WOULD_BLOCK_MAIN"> {
  /** Creates the error; `call` names the blocking call and `instead` the awaitable form to use. */
  constructor(call: string, instead: string) {
    super(
      `${call} blocks, and the main thread must never block (it forwards every thread's output and answers the kernel). ` +
        `Use \`${instead}\` here; blocking forms are for code running inside a Thread.`,
      "ERR_SPINDLE_WOULD_BLOCK_MAIN",
    );
  }
}

registerErrorClass("BrokenBarrierError", BrokenBarrierError);
registerErrorClass("WouldBlockError", WouldBlockError);
