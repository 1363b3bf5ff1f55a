/**
 * `Lock`: Python's `threading.Lock` on shared memory. Any thread may release
 * it (as in Python); releasing an unlocked lock is a RuntimeError.
 */
import { lockMemory, type Mutex, releaseWord, tryAcquireWord } from "../shared/mutex";
import { mayBlock, mustPoint, pointThen } from "../shared/futex";
import { gate, Op, onControlMode, point, Prim } from "../shared/schedule";
import { localObject } from "../shared/identity";
import { registerRefKind, shipRef, ShippingError, type RefData, type ShipRefContext } from "../shipping";
import { acquireDeadline, type AcquireArg } from "./acquire-options";
import { RuntimeError, WouldBlockError } from "./errors";
import { holdOf, withHeld, type Held } from "./held";
import { condLock, type CondLockHooks } from "./cond-lock";
import { currentIdent } from "../shared/registry";
// The explorer's gate held in this module: a plain load on the hot path, no lookup through the import.
const GATE = gate;

const KIND = "spindle.Lock";

interface LockData {
  buffer: SharedArrayBuffer;
  id: number;
}

/** A mutual-exclusion lock shared by every thread it is handed to. */
export class Lock {
  readonly #mutex: Mutex;
  // The mutex's word, held here too: the fast paths then reach it in one load instead of two.
  readonly #word: Int32Array;

  /** Creates an unlocked lock. */
  constructor();
  /** @internal Rebuilds a lock shipped from another thread. */
  constructor(shared: LockData);
  constructor(shared?: LockData) {
    const { words, mutex } = lockMemory(this, KIND, "Lock", 8, shared);
    this.#word = words;
    this.#mutex = mutex;
  }

  /**
   * Takes the lock; resolves true when taken, false on timeout (seconds) or when `blocking` is false and
   * it is held. Await it on the main thread; inside a thread it blocks, then resolves at once.
   */
  acquire(blocking?: AcquireArg, timeout?: number | null): Promise<boolean> {
    if (GATE[0] !== 0 && mustPoint())
      return pointThen(Op.Acquire, Prim.Lock, this.#mutex.id, () => this.acquire(blocking, timeout));
    try {
      const deadline = acquireDeadline(blocking, timeout, "Lock.acquire");
      if (deadline === "try") return Promise.resolve(this.#mutex.tryAcquire());
      if (mayBlock) return Promise.resolve(this.#mutex.acquireBlocking(deadline));
      return this.#mutex.acquireAsync(deadline);
    } catch (err) {
      return Promise.reject(err);
    }
  }

  /** Takes the lock synchronously: blocking inside a thread; on the main thread only with `blocking = false`. */
  acquireSync(blocking?: AcquireArg, timeout?: number | null): boolean {
    // The hot paths, acquireSync(), acquireSync(true) and acquireSync(false), without parsing options.
    if (timeout === undefined && typeof blocking !== "object") {
      if (tryAcquireWord(this.#word, this.#mutex, true)) return true;
      if (blocking === false) return false;
    }
    const deadline = acquireDeadline(blocking, timeout, "Lock.acquireSync");
    if (deadline === "try") return this.#mutex.tryAcquire();
    if (this.#mutex.tryAcquire()) return true;
    if (!mayBlock) throw new WouldBlockError("Lock.acquireSync()", "await lock.acquire()");
    return this.#mutex.acquireBlocking(deadline);
  }

  /** Frees the lock (any thread may); a RuntimeError when it is not locked. */
  release(): void {
    if (!releaseWord(this.#word, this.#mutex, true)) {
      throw new RuntimeError(
        "release unlocked lock: Lock.release() was called but the lock is not held.",
        "ERR_SPINDLE_RELEASE_UNLOCKED",
      );
    }
  }

  /** True while some thread holds the lock. */
  locked(): boolean {
    return this.#mutex.locked();
  }

  /** Runs `fn` holding the lock and releases it on every path (Python's `with lock:`); returns fn's result. */
  withLock<T>(fn: () => T | Promise<T>): Promise<T> {
    return withHeld(this, fn);
  }

  /** Takes the lock and returns a handle that releases it when disposed (`using h = await lock.hold()`). */
  hold(): Promise<Held> {
    return holdOf(this);
  }

  /** @internal The lock's id in the thread registry. */
  get id(): number {
    return this.#mutex.id;
  }

  /** @internal The underlying mutex (Condition builds on it). */
  get mutex(): Mutex {
    return this.#mutex;
  }

  /** @internal Hooks for Condition. */
  [condLock](): CondLockHooks {
    const mutex = this.#mutex;
    return {
      isOwned: () => mutex.locked() && mutex.owner() === currentIdent(),
      releaseSave: () => {
        mutex.release();
        return 1;
      },
      restoreBlocking: () => void mutex.acquireBlocking(Infinity),
      restoreAsync: async () => void (await mutex.acquireAsync(Infinity)),
    };
  }

  /** @internal Travels to threads by reference. */
  [shipRef](ctx: ShipRefContext): RefData {
    if (ctx.dest === "process") throw crossProcess("Lock", ctx.path);
    const data: LockData = { buffer: this.#mutex.word.buffer as SharedArrayBuffer, id: this.#mutex.id };
    return { kind: KIND, module: __filename, data };
  }

  /** Shows the state, as Python's repr does. */
  toString(): string {
    return `<Lock #${this.#mutex.id} ${this.locked() ? "locked" : "unlocked"}>`;
  }
}

// While this thread may be explored, acquireSync and release are schedule points first (see onControlMode).
const fastAcquireSync = Lock.prototype.acquireSync;
const fastRelease = Lock.prototype.release;
function controlledAcquireSync(this: Lock, blocking?: AcquireArg, timeout?: number | null): boolean {
  point(Op.Acquire, Prim.Lock, this.id);
  return fastAcquireSync.call(this, blocking, timeout);
}
function controlledRelease(this: Lock): void {
  point(Op.Release, Prim.Lock, this.id);
  fastRelease.call(this);
}
onControlMode((on) => {
  Lock.prototype.acquireSync = on ? controlledAcquireSync : fastAcquireSync;
  Lock.prototype.release = on ? controlledRelease : fastRelease;
});

/** The error for a thread primitive sent to a process. */
export function crossProcess(kind: string, path: string): ShippingError {
  return new ShippingError(
    `'${path}' is a threading.${kind}, which lives in this process's memory and cannot reach another process. ` +
      `Use multiprocessing's ${kind} for processes.`,
    "ERR_SPINDLE_SHIP_UNCLONEABLE",
  );
}

registerRefKind(KIND, (data: LockData) => localObject(KIND, data.id, () => new Lock(data)));
