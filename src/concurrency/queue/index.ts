/**
 * `spindle/queue`: Python's `queue` module — `Queue`, `LifoQueue`,
 * `PriorityQueue`, `Empty`, `Full` — on shared memory, between threads.
 * Timeouts are in seconds (scaled by SPINDLE_TIME_SCALE).
 */
export { Queue, type QueueOptions } from "./queue";
export { LifoQueue, PriorityQueue } from "./variants";
export { type BlockArg } from "./waiting";
export { Empty, Full } from "./errors";
