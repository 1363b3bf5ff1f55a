/**
 * Python's built-in RuntimeError and ValueError, as every concurrency module
 * raises them (Python's threading, queue and asyncio all raise the built-ins):
 * one class each, so `instanceof RuntimeError` holds whichever module threw it,
 * also after it crossed a thread or process boundary.
 */
import { registerErrorClass, SpindleError } from "../../errors";

/** Codes of RuntimeError, each naming one misuse. */
export type RuntimeErrorCode =
  | "ERR_SPINDLE_RUNTIME"
  | "ERR_SPINDLE_CONDITION_NOT_LOCKED"
  | "ERR_SPINDLE_JOIN_SELF"
  | "ERR_SPINDLE_NOT_OWNER"
  | "ERR_SPINDLE_RELEASE_UNLOCKED"
  | "ERR_SPINDLE_THREAD_NOT_STARTED"
  | "ERR_SPINDLE_THREAD_STARTED"
  | "ERR_SPINDLE_TOO_MANY_WAITERS"
  | "ERR_SPINDLE_NESTED_THREAD";

/** Codes of ValueError, each naming one bad value. */
export type ValueErrorCode =
  | "ERR_SPINDLE_VALUE"
  | "ERR_SPINDLE_BAD_PARTIES"
  | "ERR_SPINDLE_BAD_RELEASE_COUNT"
  | "ERR_SPINDLE_BAD_SEMAPHORE_VALUE"
  | "ERR_SPINDLE_QUEUE_BYTES"
  | "ERR_SPINDLE_QUEUE_MAXSIZE"
  | "ERR_SPINDLE_QUEUE_TASK_DONE"
  | "ERR_SPINDLE_QUEUE_TIMEOUT"
  | "ERR_SPINDLE_SEMAPHORE_VALUE"
  | "ERR_SPINDLE_SEMAPHORE_OVER_RELEASE"
  | "ERR_SPINDLE_QUEUE_ITEM_TOO_BIG"
  | "ERR_SPINDLE_BAD_ACQUIRE";

/**
 * A code Spindle uses, or one of the user's own: notebooks raise these built-ins too
 * (`throw new ValueError("bad input", "ERR_MY_CHECK")`), so the type lists Spindle's codes
 * for completion and checking of Spindle's own uses without closing the door on users.
 */
type OpenCode<Known extends string> = Known | (string & {});

/** Misuse of a primitive or thread: releasing an unlocked lock, starting twice… (Python's `RuntimeError`). */
export class RuntimeError extends SpindleError<OpenCode<RuntimeErrorCode>> {
  /** Creates the error with a code naming the exact misuse. */
  constructor(message: string, code: OpenCode<RuntimeErrorCode> = "ERR_SPINDLE_RUNTIME") {
    super(message, code);
  }
}

/** A bad value: releasing a BoundedSemaphore too many times, a negative count… (Python's `ValueError`). */
export class ValueError extends SpindleError<OpenCode<ValueErrorCode>> {
  /** Creates the error with a code naming the exact problem. */
  constructor(message: string, code: OpenCode<ValueErrorCode> = "ERR_SPINDLE_VALUE") {
    super(message, code);
  }
}

registerErrorClass("RuntimeError", RuntimeError);
registerErrorClass("ValueError", ValueError);
