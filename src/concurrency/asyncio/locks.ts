/**
 * Synchronization between tasks on one thread (Python's `asyncio.Lock`,
 * `Event`, `Condition`). These never block the thread; every wait is a
 * Spindle await point (cancellable). For threads use `spindle/threading`.
 */
import { RuntimeError } from "./errors";
import { settledWait, type Suspension, waitInQueue } from "./scope";

let ids = 0;
/** A name like "asyncio.Lock-3" for timeline charts. */
export function primitiveName(kind: string): string {
  return `asyncio.${kind}-${++ids}`;
}

/** A mutual-exclusion lock for tasks; waiters get it in FIFO order. */
export class Lock {
  readonly #label = { kind: "wait" as const, what: primitiveName("Lock") };
  #locked = false;
  readonly #waiters = new Set<Suspension<true>>();

  /** Waits until the lock is free and takes it; resolves to true. */
  acquire(): Promise<true> {
    if (!this.#locked && this.#waiters.size === 0) {
      this.#locked = true;
      return settledWait<true>(true, this.#label.what);
    }
    return waitInQueue<true>(this.#waiters, this.#label);
  }

  /** Releases the lock, handing it to the longest waiter; an unlocked Lock throws `RuntimeError`. */
  release(): void {
    if (!this.#locked) {
      throw new RuntimeError(
        "Lock.release() called on an unlocked Lock; release only after a successful acquire (withLock does both).",
        "ERR_SPINDLE_LOCK_NOT_HELD",
      );
    }
    const next = first(this.#waiters);
    if (next) {
      this.#waiters.delete(next);
      next.resolve(true); // ownership passes directly: the lock stays locked for the waiter
    } else {
      this.#locked = false;
    }
  }

  /** True while some task holds the lock. */
  locked(): boolean {
    return this.#locked;
  }

  /** Runs `fn` holding the lock and always releases it (Python's `async with lock:`). */
  async withLock<R>(fn: () => R | PromiseLike<R>): Promise<R> {
    await this.acquire();
    try {
      return await fn();
    } finally {
      this.release();
    }
  }
}

/** A flag tasks can wait for (Python's `asyncio.Event`). */
export class Event {
  readonly #label = { kind: "wait" as const, what: primitiveName("Event") };
  #set = false;
  readonly #waiters = new Set<Suspension<true>>();

  /** Sets the flag and wakes every waiter. */
  set(): void {
    if (this.#set) return;
    this.#set = true;
    const waiters = [...this.#waiters];
    this.#waiters.clear();
    for (const w of waiters) w.resolve(true);
  }

  /** Clears the flag; later `wait()` calls wait again. */
  clear(): void {
    this.#set = false;
  }

  /** True when the flag is set. */
  isSet(): boolean {
    return this.#set;
  }

  /** Waits until the flag is set; resolves to true. */
  wait(): Promise<true> {
    if (this.#set) return settledWait<true>(true, this.#label.what);
    return waitInQueue<true>(this.#waiters, this.#label);
  }
}

/** A condition variable for tasks (Python's `asyncio.Condition`), bound to a Lock. */
export class Condition {
  readonly #label = { kind: "wait" as const, what: primitiveName("Condition") };
  readonly #lock: Lock;
  readonly #waiters = new Set<Suspension<void>>();

  /** Uses `lock`, or a new Lock. */
  constructor(lock: Lock = new Lock()) {
    this.#lock = lock;
  }

  /** Acquires the underlying lock. */
  acquire(): Promise<true> {
    return this.#lock.acquire();
  }

  /** Releases the underlying lock. */
  release(): void {
    this.#lock.release();
  }

  /** True while the underlying lock is held. */
  locked(): boolean {
    return this.#lock.locked();
  }

  /** Runs `fn` holding the lock (Python's `async with cond:`). */
  withLock<R>(fn: () => R | PromiseLike<R>): Promise<R> {
    return this.#lock.withLock(fn);
  }

  /**
   * Releases the lock, waits for `notify`, then re-acquires the lock before
   * resolving (also when cancelled: the lock is held again when CancelledError arrives).
   */
  async wait(): Promise<true> {
    this.#checkLocked("wait");
    this.#lock.release();
    try {
      await waitInQueue<void>(this.#waiters, this.#label);
    } finally {
      await this.#reacquire();
    }
    return true;
  }

  /** Waits until `predicate()` is truthy, re-checking after every notify; resolves to its value. */
  async waitFor<T>(predicate: () => T): Promise<T> {
    let result = predicate();
    while (!result) {
      await this.wait();
      result = predicate();
    }
    return result;
  }

  /** Wakes up to `n` waiting tasks (default 1); the lock must be held. */
  notify(n = 1): void {
    this.#checkLocked("notify");
    for (let i = 0; i < n; i++) {
      const w = first(this.#waiters);
      if (!w) break;
      this.#waiters.delete(w);
      w.resolve();
    }
  }

  /** Wakes every waiting task; the lock must be held. */
  notifyAll(): void {
    this.notify(this.#waiters.size);
  }

  #checkLocked(what: string): void {
    if (!this.#lock.locked()) {
      throw new RuntimeError(
        `Condition.${what}() needs the lock: call it inside cond.withLock(...) (or after await cond.acquire()).`,
        "ERR_SPINDLE_CONDITION_NOT_LOCKED",
      );
    }
  }

  /** Re-takes the lock even if the task is cancelled meanwhile, as Python does; the cancel then surfaces. */
  async #reacquire(): Promise<void> {
    let cancelled: unknown;
    for (;;) {
      try {
        await this.#lock.acquire();
        break;
      } catch (err) {
        cancelled = err;
      }
    }
    if (cancelled !== undefined) throw cancelled;
  }
}

/** The first element of a set in insertion order (FIFO), or undefined. */
export function first<T>(set: Set<T>): T | undefined {
  for (const v of set) return v;
  return undefined;
}
