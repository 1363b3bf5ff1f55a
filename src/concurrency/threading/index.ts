/**
 * `spindle/threading`: Python's `threading` module on real worker threads,
 * with primitives in shared memory. Durations are in seconds, scaled by
 * SPINDLE_TIME_SCALE. What blocks in Python is awaited on the main thread;
 * inside a thread it blocks (and `…Sync` forms exist).
 */
export { Thread, type ThreadOptions } from "./thread";
export { Lock } from "./lock";
export { RLock } from "./rlock";
export { Semaphore, BoundedSemaphore } from "./semaphore";
export { Event } from "./event";
export { Condition } from "./condition";
export { Barrier, type BarrierOptions } from "./barrier";
export { Held } from "./held";
export { type AcquireOptions } from "./acquire-options";
export { currentThread, mainThread, activeCount, enumerate, getIdent, getNativeId } from "./current";
export { setExcepthook, type ExceptHook, type ExceptHookArgs } from "./excepthook";
export { onDeadlock, type DeadlockReport, type DeadlockedThread } from "./deadlock";
export { RuntimeError, ValueError, BrokenBarrierError, WouldBlockError } from "./errors";
export {
  shared,
  sharedArray,
  sharedValue,
  type SharedField,
  type SharedOptions,
  type SharedRecord,
  type SharedArrayType,
} from "../shared";
export { prewarmThreads } from "./pool";
