/**
 * A futex-style mutex on one word of shared memory (0 free, 1 held, 2 held
 * with waiters — Drepper's "mutex3"), usable from any thread: blocking in
 * workers, awaitable on the main thread. It records its owner and its waiters
 * in the thread registry, which is what deadlock detection reads.
 */
import { isMainThread } from "node:worker_threads";
import { currentIdent, locksOwnedBy, ownerOf, setOwner, setWaiting, WaitKind, MAX_LOCKS } from "./registry";
import { waitAsync, waitBlocking } from "./futex";
import { trace } from "./trace";

const STATE = 0;

/** The lock word plus identity; Lock, RLock and Condition build on it. */
export class Mutex {
  readonly #traced: boolean;

  /** Creates a mutex over `word[0]` (a fresh lock has 0 there); `primitive` "" means internal: not traced. */
  constructor(
    readonly word: Int32Array,
    readonly id: number,
    readonly primitive: string,
  ) {
    this.#traced = primitive !== "";
    if (isMainThread) known.set(id % MAX_LOCKS, new WeakRef(this));
  }

  /** Takes the lock if it is free, without waiting. */
  tryAcquire(): boolean {
    if (Atomics.compareExchange(this.word, STATE, 0, 1) !== 0) return false;
    this.#own();
    return true;
  }

  /** Takes the lock, blocking this (worker) thread until `deadline`; false on timeout. */
  acquireBlocking(deadline: number): boolean {
    if (this.tryAcquire()) return true;
    this.#startWaiting();
    try {
      let c = Atomics.exchange(this.word, STATE, 2);
      while (c !== 0) {
        if (!waitBlocking(this.word, STATE, 2, deadline)) {
          c = Atomics.exchange(this.word, STATE, 2);
          if (c !== 0) return this.#timedOut();
          break;
        }
        c = Atomics.exchange(this.word, STATE, 2);
      }
      this.#own();
      return true;
    } finally {
      setWaiting(0, WaitKind.None);
    }
  }

  /** Takes the lock without blocking the event loop; resolves false on timeout. */
  async acquireAsync(deadline: number): Promise<boolean> {
    if (this.tryAcquire()) return true;
    this.#startWaiting();
    try {
      let c = Atomics.exchange(this.word, STATE, 2);
      while (c !== 0) {
        if (!(await waitAsync(this.word, STATE, 2, deadline))) {
          c = Atomics.exchange(this.word, STATE, 2);
          if (c !== 0) return this.#timedOut();
          break;
        }
        c = Atomics.exchange(this.word, STATE, 2);
      }
      this.#own();
      return true;
    } finally {
      setWaiting(0, WaitKind.None);
    }
  }

  /** Frees the lock; returns false (and changes nothing) when it was not held. */
  release(): boolean {
    setOwner(this.id, 0);
    const prev = Atomics.exchange(this.word, STATE, 0);
    if (prev === 0) return false;
    if (this.#traced) trace("released", this.primitive, this.id, currentIdent());
    if (prev === 2) Atomics.notify(this.word, STATE, 1);
    return true;
  }

  /** True while some thread holds the lock. */
  locked(): boolean {
    return Atomics.load(this.word, STATE) !== 0;
  }

  /** Ident of the holder (0 when free). */
  owner(): number {
    return ownerOf(this.id);
  }

  /** Frees the lock whoever holds it, waking every waiter (its holder was stopped). */
  forceRelease(): void {
    setOwner(this.id, 0);
    Atomics.store(this.word, STATE, 0);
    Atomics.notify(this.word, STATE);
  }

  #own(): void {
    const me = currentIdent();
    setOwner(this.id, me);
    if (this.#traced) trace("acquired", this.primitive, this.id, me);
  }

  #startWaiting(): void {
    if (this.#traced) trace("acquire-wait", this.primitive, this.id, currentIdent());
    setWaiting(this.id, WaitKind.Lock);
  }

  #timedOut(): false {
    if (this.#traced) trace("acquire-timeout", this.primitive, this.id, currentIdent());
    return false;
  }
}

/** Mutexes this (main) thread knows, by owner-table index, so a stopped thread's locks can be freed. */
const known = new Map<number, WeakRef<Mutex>>();

/** Hooks run after a stopped thread's locks were force-released (RLock clears its own owner fields). */
const releaseHooks = new Map<number, () => void>();

/** Registers extra work to do when mutex `id` is force-released. */
export function onForceRelease(id: number, hook: () => void): void {
  releaseHooks.set(id % MAX_LOCKS, hook);
}

/** Frees every lock the stopped thread `ident` held; returns how many were freed. */
export function freeLocksOf(ident: number): number {
  let freed = 0;
  for (const index of locksOwnedBy(ident)) {
    const mutex = known.get(index)?.deref();
    if (!mutex) continue;
    releaseHooks.get(index)?.();
    mutex.forceRelease();
    freed++;
  }
  return freed;
}

/** The mutex known under `id` on this (main) thread, if it is still alive. */
export function knownMutex(id: number): Mutex | undefined {
  return known.get(id % MAX_LOCKS)?.deref();
}
