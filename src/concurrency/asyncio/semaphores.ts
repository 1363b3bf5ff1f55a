/**
 * Counting semaphores for tasks on one thread (Python's `asyncio.Semaphore`
 * and `BoundedSemaphore`): at most N tasks inside at once.
 */
import { ValueError } from "./errors";
import { first, primitiveName } from "./locks";
import { settledWait, type Suspension, waitInQueue } from "./scope";

/** A counter of free places; `acquire` waits (FIFO) while it is zero. */
export class Semaphore {
  readonly #label = { kind: "wait" as const, what: primitiveName("Semaphore") };
  #value: number;
  readonly #waiters = new Set<Suspension<true>>();

  /** Starts with `value` free places (default 1). */
  constructor(value = 1) {
    if (!Number.isInteger(value) || value < 0) {
      throw new ValueError(
        `Semaphore initial value must be an integer ≥ 0 (got ${String(value)}).`,
        "ERR_SPINDLE_SEMAPHORE_VALUE",
      );
    }
    this.#value = value;
  }

  /** Waits for a free place and takes it; resolves to true. */
  acquire(): Promise<true> {
    if (this.#value > 0 && this.#waiters.size === 0) {
      this.#value--;
      return settledWait<true>(true, this.#label.what);
    }
    return waitInQueue<true>(this.#waiters, this.#label);
  }

  /** Gives a place back, handing it to the longest waiter if there is one. */
  release(): void {
    const next = first(this.#waiters);
    if (next) {
      this.#waiters.delete(next);
      next.resolve(true); // the place passes directly to the waiter
    } else {
      this.#value++;
    }
  }

  /** True when `acquire()` would have to wait. */
  locked(): boolean {
    return this.#value === 0 || this.#waiters.size > 0;
  }

  /** Free places right now. */
  get value(): number {
    return this.#value;
  }

  /** Runs `fn` holding a place and always gives it back (Python's `async with sem:`). */
  async withLock<R>(fn: () => R | PromiseLike<R>): Promise<R> {
    await this.acquire();
    try {
      return await fn();
    } finally {
      this.release();
    }
  }
}

/** A semaphore that refuses to be released above its initial value. */
export class BoundedSemaphore extends Semaphore {
  readonly #bound: number;

  /** Starts with (and never exceeds) `value` free places. */
  constructor(value = 1) {
    super(value);
    this.#bound = value;
  }

  /** Gives a place back; throws `ValueError` if that would exceed the initial value. */
  override release(): void {
    if (this.value >= this.#bound) {
      throw new ValueError(
        `BoundedSemaphore released too many times (its bound is ${this.#bound}); release only what you acquired.`,
        "ERR_SPINDLE_SEMAPHORE_OVER_RELEASE",
      );
    }
    super.release();
  }
}
