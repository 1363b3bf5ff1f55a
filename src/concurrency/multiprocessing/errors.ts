/**
 * Errors raised by `spindle/multiprocessing`, with Python's names where users
 * expect them and stable codes. Each is registered so it keeps its class when
 * it crosses a process or thread boundary.
 */
import { codedError, registerErrorClass, SpindleError } from "../../errors";

// Python's multiprocessing raises queue.Empty / queue.Full too: one class each, shared with spindle/queue.
export { Empty, Full } from "../queue/errors";

/** `Connection.recv` on a pipe whose other end is closed and drained (Python's `EOFError`). */
export class EOFError extends codedError(
  "ERR_SPINDLE_PIPE_EOF",
  "The other end of the pipe was closed and every message sent before that has been received.",
) {}

/** A pool worker or process ended abnormally while a task was running on it. */
export class ProcessCrashedError extends codedError(
  "ERR_SPINDLE_PROCESS_CRASHED",
  "A worker process ended while running a task.",
) {}

/** Waiting for a result took longer than the timeout (Python's `multiprocessing.TimeoutError`). */
export class TimeoutError extends codedError(
  "ERR_SPINDLE_TIMEOUT",
  "The result was not ready in time; wait longer or catch TimeoutError.",
) {}

/** Codes of ProcessStateError, each naming one misuse. */
export type ProcessStateErrorCode =
  | "ERR_SPINDLE_BAD_POOL_SIZE"
  | "ERR_SPINDLE_BAD_VALUE"
  | "ERR_SPINDLE_INDEX"
  | "ERR_SPINDLE_INTERNAL"
  | "ERR_SPINDLE_JOIN_SELF"
  | "ERR_SPINDLE_KEY"
  | "ERR_SPINDLE_MANAGER_SHUT_DOWN"
  | "ERR_SPINDLE_NESTED_PROCESS"
  | "ERR_SPINDLE_NOT_FOUND"
  | "ERR_SPINDLE_NO_LOCK"
  | "ERR_SPINDLE_OBJECT_GONE"
  | "ERR_SPINDLE_PIPE_CLOSED"
  | "ERR_SPINDLE_PIPE_DIRECTION"
  | "ERR_SPINDLE_FIFO"
  | "ERR_SPINDLE_POOL_NOT_RUNNING"
  | "ERR_SPINDLE_POOL_RUNNING"
  | "ERR_SPINDLE_PROCESS_NOT_STARTED"
  | "ERR_SPINDLE_PROCESS_RUNNING"
  | "ERR_SPINDLE_PROCESS_STARTED"
  | "ERR_SPINDLE_QUEUE_CLOSED"
  | "ERR_SPINDLE_RELEASE_UNLOCKED"
  | "ERR_SPINDLE_RESULT_NOT_READY"
  | "ERR_SPINDLE_TASK_DONE_TOO_MANY"
  | "ERR_SPINDLE_UNKNOWN_OP";

/** An API was used in a way that cannot work (wrong state, wrong direction, closed object). */
export class ProcessStateError extends SpindleError<ProcessStateErrorCode> {}

for (const cls of [EOFError, ProcessCrashedError, TimeoutError, ProcessStateError]) registerErrorClass(cls.name, cls);
