/**
 * A futex-style mutex on one word of shared memory, usable from any thread:
 * blocking in workers, awaitable on the main thread. The word holds the
 * owner's thread ident (0 when free) plus a "someone may be waiting" bit, so
 * taking the lock and recording who holds it is one compare-and-swap, and
 * releasing it is one exchange (a notify only when the bit is set). Deadlock
 * detection reads owners from the words of the locks the main thread knows.
 */
import { isMainThread } from "node:worker_threads";
import { rememberLocal } from "./identity";
import { allocateLockId, currentIdent, setWaiting, WaitKind } from "./registry";
import { waitAsync, waitBlocking, wake } from "./futex";
import { labelOf, reportHold, reportLabelled, shouldTrace } from "./trace";

const WORD = 0;
/** Set in the word while threads may be waiting: release must wake one. */
const WAITERS = 1 << 30;
const OWNER_MASK = WAITERS - 1;
/** Checks of a held lock before a blocking acquire goes to sleep: holders usually release within microseconds. */
const SPIN = 200;

/** The lock word plus identity; Lock, RLock, Condition and Queue build on it. */
export class Mutex {
  /** False for internal mutexes (a queue's): their events say nothing to the user. */
  readonly traced: boolean;
  /** The chart label, e.g. "Lock-3" (made once: an event while recording should not build strings). */
  readonly label: string;

  /** Creates a mutex over `word[0]` (a fresh lock has 0 there); `primitive` "" means internal: not traced. */
  constructor(
    readonly word: Int32Array,
    readonly id: number,
    readonly primitive: string,
  ) {
    this.traced = primitive !== "";
    this.label = this.traced ? labelOf(primitive, id) : "";
    if (isMainThread) remember(this);
  }

  /** Takes the lock if it is free, without waiting. */
  tryAcquire(): boolean {
    return tryAcquireWord(this.word, this, this.traced);
  }

  /** Takes the lock, blocking this (worker) thread until `deadline`; false on timeout. */
  acquireBlocking(deadline: number): boolean {
    if (this.tryAcquire()) return true;
    for (let i = 0; i < SPIN; i++) {
      if (Atomics.load(this.word, WORD) === 0 && this.tryAcquire()) return true;
    }
    this.#startWaiting();
    try {
      for (;;) {
        const c = this.#claimOrMark();
        if (c === 0) return true;
        if (!waitBlocking(this.word, WORD, c, deadline)) return this.#lastTry();
      }
    } finally {
      setWaiting(0, WaitKind.None);
    }
  }

  /** Takes the lock without blocking the event loop; resolves false on timeout. */
  async acquireAsync(deadline: number): Promise<boolean> {
    if (this.tryAcquire()) return true;
    this.#startWaiting();
    try {
      for (;;) {
        const c = this.#claimOrMark();
        if (c === 0) return true;
        if (!(await waitAsync(this.word, WORD, c, deadline))) return this.#lastTry();
      }
    } finally {
      setWaiting(0, WaitKind.None);
    }
  }

  /** Frees the lock; returns false (and changes nothing) when it was not held. */
  release(): boolean {
    return releaseWord(this.word, this, this.traced);
  }

  /** True while some thread holds the lock. */
  locked(): boolean {
    return Atomics.load(this.word, WORD) !== 0;
  }

  /** Ident of the holder (0 when free). */
  owner(): number {
    return Atomics.load(this.word, WORD) & OWNER_MASK;
  }

  /** Frees the lock whoever holds it, waking every waiter (its holder was stopped). */
  forceRelease(): void {
    Atomics.store(this.word, WORD, 0);
    wake(this.word, WORD);
  }

  /**
   * One step of the slow path: takes the lock if it is free (keeping the waiters bit, since others may be
   * asleep) and returns 0, or makes sure the waiters bit is set and returns the word value to sleep on.
   */
  #claimOrMark(): number {
    const me = currentIdent();
    for (;;) {
      const c = Atomics.load(this.word, WORD);
      if (c === 0) {
        if (Atomics.compareExchange(this.word, WORD, 0, me | WAITERS) === 0) {
          if (this.traced && shouldTrace()) reportLabelled("acquired", this.label);
          return 0;
        }
        continue;
      }
      if (c & WAITERS || Atomics.compareExchange(this.word, WORD, c, c | WAITERS) === c) return c | WAITERS;
    }
  }

  #lastTry(): boolean {
    if (this.#claimOrMark() === 0) return true;
    if (this.traced && shouldTrace()) reportLabelled("acquire-timeout", this.label);
    return false;
  }

  #startWaiting(): void {
    if (this.traced && shouldTrace()) reportLabelled("acquire-wait", this.label);
    setWaiting(this.id, WaitKind.Lock);
  }
}

/**
 * The uncontended acquire: one compare-and-swap that also records the owner. A function over the word
 * itself so that Lock, which keeps the word in its own field and passes `traced` as a literal, pays no
 * extra loads on its hot path.
 */
export function tryAcquireWord(word: Int32Array, m: Mutex, traced: boolean): boolean {
  if (Atomics.compareExchange(word, WORD, 0, currentIdent()) !== 0) return false;
  if (traced && shouldTrace()) reportHold("acquire", m.label);
  return true;
}

/** The release: one exchange, a wake-up only when the waiters bit was set; false when it was not held. */
export function releaseWord(word: Int32Array, m: Mutex, traced: boolean): boolean {
  const prev = Atomics.exchange(word, WORD, 0);
  if (prev === 0) return false;
  if (traced && shouldTrace()) reportHold("release", m.label);
  if (prev & WAITERS) wake(word, WORD, 1);
  return true;
}

/** Mutexes this (main) thread knows, by id: deadlock detection reads their owners, a stop frees them. */
const known = new Map<number, WeakRef<Mutex>>();
let rememberedSincePrune = 0;

function remember(m: Mutex): void {
  known.set(m.id, new WeakRef(m));
  if (++rememberedSincePrune >= 1024) {
    rememberedSincePrune = 0;
    for (const [id, ref] of known) if (!ref.deref()) known.delete(id);
  }
}

/** Hooks run when a stopped thread's mutex is force-released (RLock clears its own owner fields). */
const releaseHooks = new Map<number, () => void>();

/** Registers extra work to do when mutex `id` is force-released. */
export function onForceRelease(id: number, hook: () => void): void {
  releaseHooks.set(id, hook);
}

/** Frees every lock the stopped thread `ident` held; returns how many were freed. */
export function freeLocksOf(ident: number): number {
  let freed = 0;
  for (const [id, ref] of known) {
    const mutex = ref.deref();
    if (!mutex || mutex.owner() !== ident) continue;
    releaseHooks.get(id)?.();
    mutex.forceRelease();
    freed++;
  }
  return freed;
}

/** The holder of lock `id` as this (main) thread sees it (0: free or unknown). */
export function ownerOf(id: number): number {
  return known.get(id)?.deref()?.owner() ?? 0;
}

/** What a lock-like primitive ships to another thread: its shared words and its id. */
export interface LockWords {
  buffer: SharedArrayBuffer;
  id: number;
}

/**
 * The words and mutex of a lock-like primitive (`bytes` of shared memory, the mutex word first): fresh,
 * and remembered as this thread's `kind` object, or rebuilt from what another thread shipped.
 */
export function lockMemory(
  owner: object,
  kind: string,
  label: string,
  bytes: number,
  shared?: LockWords,
): { words: Int32Array; mutex: Mutex } {
  const words = new Int32Array(shared?.buffer ?? new SharedArrayBuffer(bytes));
  const id = shared?.id ?? allocateLockId();
  const mutex = new Mutex(words, id, label);
  if (!shared) rememberLocal(kind, id, owner);
  return { words, mutex };
}
