/**
 * What a Condition needs from its lock (Lock or RLock): whether this thread
 * owns it, and releasing it fully / taking it back around a wait (an RLock
 * held three times is released and re-taken three times at once, as in Python).
 */

/** Symbol under which Lock and RLock expose the Condition hooks (kept off their public surface). */
export const condLock: unique symbol = Symbol("spindle.condLock");

/** The Condition hooks. */
export interface CondLockHooks {
  /** True when the calling thread holds the lock. */
  isOwned(): boolean;
  /** Releases the lock completely; returns what `restore*` needs to take it back. */
  releaseSave(): number;
  /** Takes the lock back, blocking this (worker) thread. */
  restoreBlocking(saved: number): void;
  /** Takes the lock back without blocking the event loop. */
  restoreAsync(saved: number): Promise<void>;
}

/** A lock usable by a Condition. */
export interface ConditionLock {
  [condLock](): CondLockHooks;
}
