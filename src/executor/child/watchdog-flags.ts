/**
 * The words of shared memory the executor's main thread and its watchdog
 * thread (watchdog.ts, watchdog-thread.ts) both read and write.
 */

/** Indexes into the watchdog's Int32Array, and how many words it has. */
export const WATCHDOG_FLAGS = {
  /** Set to 1 by the main thread when it has taken an interrupt message. */
  ack: 0,
  /** When (ms, wrapped to 31 bits) output began waiting in the main thread's batcher; 0 when none waits. */
  pendingSince: 1,
  words: 2,
} as const;
