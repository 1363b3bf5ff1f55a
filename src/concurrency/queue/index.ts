/**
 * `spindle/queue`: Python's `queue` module — `Queue`, `LifoQueue`,
 * `PriorityQueue`, `Empty`, `Full` — on shared memory, between threads.
 * Timeouts are in seconds (scaled by SPINDLE_TIME_SCALE).
 */
export { Queue, LifoQueue, PriorityQueue, type QueueOptions, type BlockArg } from "./queue";
export { Empty, Full } from "./errors";
