/**
 * The handle `hold()` returns: releases what it holds once, when disposed
 * (`using h = await lock.hold()`) or when `release()` is called.
 */
const disposeSymbol: symbol = (Symbol as unknown as { dispose?: symbol }).dispose ?? Symbol.for("nodejs.dispose");
const asyncDisposeSymbol: symbol =
  (Symbol as unknown as { asyncDispose?: symbol }).asyncDispose ?? Symbol.for("nodejs.asyncDispose");

/** A held lock (or semaphore slot) that is released exactly once. */
export class Held {
  #release: (() => void) | undefined;

  /** @internal Wraps the release function. */
  constructor(release: () => void) {
    this.#release = release;
  }

  /** Releases now; later calls do nothing. */
  release(): void {
    const r = this.#release;
    this.#release = undefined;
    r?.();
  }

  /** Releases (for `using`). */
  [disposeSymbol](): void {
    this.release();
  }

  /** Releases (for `await using`). */
  async [asyncDisposeSymbol](): Promise<void> {
    this.release();
  }
}

/** What `withHeld` and `holdOf` need: Lock, RLock, Semaphore and Condition. */
export interface Acquirable {
  acquire(): Promise<boolean>;
  release(): void;
}

/** Python's `with lock:` for any acquirable: runs `fn` holding it and releases it on every path. */
export async function withHeld<T>(lock: Acquirable, fn: () => T | Promise<T>): Promise<T> {
  await lock.acquire();
  try {
    return await fn();
  } finally {
    lock.release();
  }
}

/** Takes `lock` and returns a handle that releases it once (`using h = await lock.hold()`). */
export async function holdOf(lock: Acquirable): Promise<Held> {
  await lock.acquire();
  return new Held(() => lock.release());
}
