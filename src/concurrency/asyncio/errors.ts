/**
 * The errors `spindle/asyncio` raises, with Python's asyncio names so ported
 * code catches the same things. Each carries a stable code.
 */
import { codedError, registerErrorClass, SpindleError } from "../../errors";

// Python's asyncio raises the built-in RuntimeError and ValueError: the same classes as spindle/threading.
export { RuntimeError, ValueError } from "../shared/errors";

/** A task or future was cancelled (Python's `asyncio.CancelledError`). */
export class CancelledError extends codedError(
  "ERR_SPINDLE_CANCELLED",
  "The task was cancelled. Catch CancelledError only to clean up, then rethrow it.",
) {}

/** A wait ran out of time (Python's `TimeoutError`, which asyncio raises since 3.11). */
export class TimeoutError extends codedError(
  "ERR_SPINDLE_TIMEOUT",
  "The wait ran out of time; allow it longer or catch TimeoutError.",
) {}

/** A future was asked for something its state does not allow (Python's `asyncio.InvalidStateError`). */
export class InvalidStateError extends codedError(
  "ERR_SPINDLE_INVALID_STATE",
  "The future is not in a state that allows this call.",
) {}

/** `getNowait()` on an empty asyncio queue (Python's `asyncio.QueueEmpty`). */
export class QueueEmpty extends codedError(
  "ERR_SPINDLE_QUEUE_EMPTY",
  "The queue is empty: getNowait() found nothing. Use `await queue.get()` to wait for an item.",
) {}

/** `putNowait()` on a full asyncio queue (Python's `asyncio.QueueFull`). */
export class QueueFull extends codedError(
  "ERR_SPINDLE_QUEUE_FULL",
  "The queue is full: putNowait() found no room. Use `await queue.put(item)` to wait for room.",
) {}

/** Several errors at once, raised by a task group (Python's `ExceptionGroup`). */
export class ExceptionGroup extends SpindleError<"ERR_SPINDLE_EXCEPTION_GROUP"> {
  /** The errors, in the order they happened. */
  readonly exceptions: Error[];

  /** Creates a group; `message` says where the errors came from. */
  constructor(message: string, exceptions: unknown[]) {
    const list = exceptions.map(asError);
    super(
      `${message} (${list.length} sub-exception${list.length === 1 ? "" : "s"}: ${list.map((e) => `${e.name}: ${e.message}`).join("; ")})`,
      "ERR_SPINDLE_EXCEPTION_GROUP",
    );
    this.exceptions = list;
  }

  /** The same list as `exceptions`, under the name JavaScript's AggregateError uses. */
  get errors(): Error[] {
    return this.exceptions;
  }
}

/** Turns any thrown value into an Error, keeping Errors as they are. */
export function asError(value: unknown): Error {
  if (value instanceof Error) return value;
  return new SpindleError(
    `A non-Error value was thrown: ${String(value)}. Throw Error objects so stacks survive.`,
    "ERR_SPINDLE_NON_ERROR_THROWN",
    { cause: value },
  );
}

// Names unique to asyncio are registered so they keep their class after crossing a thread or process.
registerErrorClass("CancelledError", CancelledError);
registerErrorClass("InvalidStateError", InvalidStateError);
registerErrorClass("QueueEmpty", QueueEmpty);
registerErrorClass("QueueFull", QueueFull);
registerErrorClass("ExceptionGroup", ExceptionGroup);
