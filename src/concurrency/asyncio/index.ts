/**
 * `spindle/asyncio`: Python's asyncio names for tasks on one thread —
 * `run`, `sleep`, `gather`, `createTask`, `waitFor`, `wait`, `asCompleted`,
 * `timeout`, `taskGroup`, locks and queues, `toThread` — plus a round-robin
 * scheduler for generator coroutines. Durations are seconds (SPINDLE_TIME_SCALE
 * applies). Cancellation is cooperative: see docs/asyncio.md.
 */
export { run } from "./run";
export { sleep } from "./sleep";
export { gather, type GatherOptions, type Awaitables } from "./gather";
export { Future } from "./future";
export { Task, createTask, ensureFuture, currentTask, type CoroutineLike, type TaskOptions } from "./task";
export {
  waitFor,
  wait,
  asCompleted,
  shield,
  FIRST_COMPLETED,
  FIRST_EXCEPTION,
  ALL_COMPLETED,
  type ReturnWhen,
  type WaitOptions,
  type AwaitableLike,
  type ResultOf,
} from "./wait";
export { timeout, type TimeoutScope } from "./timeout";
export { TaskGroup, taskGroup } from "./task-group";
export { Lock, Event, Condition } from "./locks";
export { Semaphore, BoundedSemaphore } from "./semaphores";
export { Queue, LifoQueue, PriorityQueue, type PriorityQueueOptions } from "./queues";
export { toThread } from "./to-thread";
export {
  runGenerators,
  blockingSleep,
  type GeneratorCoroutine,
  type SwitchRecord,
  type RunGeneratorsOptions,
} from "./generators";
export {
  CancelledError,
  TimeoutError,
  InvalidStateError,
  QueueEmpty,
  QueueFull,
  RuntimeError,
  ValueError,
  ExceptionGroup,
} from "./errors";
