/**
 * The errors `spindle/asyncio` raises, with Python's asyncio names so ported
 * code catches the same things. Each carries a stable code.
 */
import { SpindleError, registerErrorClass } from "../../errors";

/** A task or future was cancelled (Python's `asyncio.CancelledError`). */
export class CancelledError extends SpindleError {
  /** Creates the error; `message` says who cancelled and why. */
  constructor(message = "The task was cancelled. Catch CancelledError only to clean up, then rethrow it.", options?: { cause?: unknown }) {
    super(message, "ERR_SPINDLE_CANCELLED", options);
  }
}

/** A wait ran out of time (Python's `TimeoutError`, which asyncio raises since 3.11). */
export class TimeoutError extends SpindleError {
  /** Creates the error; the message names the wait, the limit and what to do. */
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, "ERR_SPINDLE_TIMEOUT", options);
  }
}

/** A future was asked for something its state does not allow (Python's `asyncio.InvalidStateError`). */
export class InvalidStateError extends SpindleError {
  /** Creates the error; the message says which state was expected. */
  constructor(message: string) {
    super(message, "ERR_SPINDLE_INVALID_STATE");
  }
}

/** `getNowait()` on an empty asyncio queue (Python's `asyncio.QueueEmpty`). */
export class QueueEmpty extends SpindleError {
  /** Creates the error. */
  constructor(message = "The queue is empty: getNowait() found nothing. Use `await queue.get()` to wait for an item.") {
    super(message, "ERR_SPINDLE_QUEUE_EMPTY");
  }
}

/** `putNowait()` on a full asyncio queue (Python's `asyncio.QueueFull`). */
export class QueueFull extends SpindleError {
  /** Creates the error. */
  constructor(message = "The queue is full: putNowait() found no room. Use `await queue.put(item)` to wait for room.") {
    super(message, "ERR_SPINDLE_QUEUE_FULL");
  }
}

/** A primitive was used in a way its state forbids, e.g. releasing an unlocked Lock (Python's `RuntimeError`). */
export class RuntimeError extends SpindleError {
  /** Creates the error with a stable `code` naming the misuse. */
  constructor(message: string, code = "ERR_SPINDLE_RUNTIME") {
    super(message, code);
  }
}

/** A bad argument value, e.g. a BoundedSemaphore released too often (Python's `ValueError`). */
export class ValueError extends SpindleError {
  /** Creates the error with a stable `code` naming the bad value. */
  constructor(message: string, code = "ERR_SPINDLE_VALUE") {
    super(message, code);
  }
}

/** Several errors at once, raised by a task group (Python's `ExceptionGroup`). */
export class ExceptionGroup extends SpindleError {
  /** The errors, in the order they happened. */
  readonly exceptions: Error[];

  /** Creates a group; `message` says where the errors came from. */
  constructor(message: string, exceptions: unknown[]) {
    const list = exceptions.map(asError);
    super(`${message} (${list.length} sub-exception${list.length === 1 ? "" : "s"}: ${list.map((e) => `${e.name}: ${e.message}`).join("; ")})`,
      "ERR_SPINDLE_EXCEPTION_GROUP");
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
  return new SpindleError(`A non-Error value was thrown: ${String(value)}. Throw Error objects so stacks survive.`, "ERR_SPINDLE_NON_ERROR_THROWN", { cause: value });
}

// Names unique to asyncio are registered so they keep their class after crossing a thread or process.
registerErrorClass("CancelledError", CancelledError);
registerErrorClass("InvalidStateError", InvalidStateError);
registerErrorClass("QueueEmpty", QueueEmpty);
registerErrorClass("QueueFull", QueueFull);
registerErrorClass("ExceptionGroup", ExceptionGroup as unknown as new (message: string) => Error);
