/**
 * `RLock`: Python's re-entrant lock. The thread holding it may take it again;
 * it is free once released as many times as taken. Only the holder may
 * release it (a RuntimeError otherwise).
 */
import { lockMemory, type Mutex, onForceRelease } from "../shared/mutex";
import { currentIdent } from "../shared/registry";
import { mayBlock, mustPoint, pointThen } from "../shared/futex";
import { gate, Op, point, Prim } from "../shared/schedule";
import { localObject } from "../shared/identity";
import { registerRefKind, shipRef, type RefData, type ShipRefContext } from "../shipping";
import { acquireDeadline, type AcquireArg } from "./acquire-options";
import { RuntimeError, WouldBlockError } from "./errors";
import { holdOf, withHeld, type Held } from "./held";
import { crossProcess } from "./lock";
import { condLock, type CondLockHooks } from "./cond-lock";
// The explorer's gate held in this module: a plain load on the hot path, no lookup through the import.
const GATE = gate;

const KIND = "spindle.RLock";
// Words: [0] mutex state, [1] owner ident, [2] recursion count.
const OWNER = 1;
const COUNT = 2;

interface RLockData {
  buffer: SharedArrayBuffer;
  id: number;
}

/** A re-entrant lock shared by every thread it is handed to. */
export class RLock {
  readonly #mutex: Mutex;
  readonly #words: Int32Array;

  /** Creates an unlocked re-entrant lock. */
  constructor();
  /** @internal Rebuilds a lock shipped from another thread. */
  constructor(shared: RLockData);
  constructor(shared?: RLockData) {
    const { words, mutex } = lockMemory(this, KIND, "RLock", 16, shared);
    this.#words = words;
    this.#mutex = mutex;
    onForceRelease(mutex.id, () => {
      Atomics.store(this.#words, OWNER, 0);
      Atomics.store(this.#words, COUNT, 0);
    });
  }

  /** Takes the lock (again, if this thread holds it); resolves false on timeout (seconds). */
  acquire(blocking?: AcquireArg, timeout?: number | null): Promise<boolean> {
    if (GATE[0] !== 0 && mustPoint())
      return pointThen(Op.Acquire, Prim.RLock, this.#mutex.id, () => this.acquire(blocking, timeout));
    try {
      const deadline = acquireDeadline(blocking, timeout, "RLock.acquire");
      if (this.#reenter()) return Promise.resolve(true);
      if (deadline === "try") return Promise.resolve(this.#took(this.#mutex.tryAcquire()));
      if (mayBlock) return Promise.resolve(this.#took(this.#mutex.acquireBlocking(deadline)));
      return this.#mutex.acquireAsync(deadline).then((ok) => this.#took(ok));
    } catch (err) {
      return Promise.reject(err);
    }
  }

  /** Takes the lock synchronously: blocking inside a thread; on the main thread only with `blocking = false`. */
  acquireSync(blocking?: AcquireArg, timeout?: number | null): boolean {
    if (GATE[0] !== 0) point(Op.Acquire, Prim.RLock, this.#mutex.id);
    const deadline = acquireDeadline(blocking, timeout, "RLock.acquireSync");
    if (this.#reenter()) return true;
    if (deadline === "try") return this.#took(this.#mutex.tryAcquire());
    if (this.#mutex.tryAcquire()) return this.#took(true);
    if (!mayBlock) throw new WouldBlockError("RLock.acquireSync()", "await rlock.acquire()");
    return this.#took(this.#mutex.acquireBlocking(deadline));
  }

  /** Releases once; the lock is free when released as many times as taken. RuntimeError if not the holder. */
  release(): void {
    if (GATE[0] !== 0) point(Op.Release, Prim.RLock, this.#mutex.id);
    if (Atomics.load(this.#words, OWNER) !== currentIdent() || Atomics.load(this.#words, COUNT) === 0) {
      throw new RuntimeError(
        "cannot release un-acquired lock: only the thread holding an RLock may release it.",
        "ERR_SPINDLE_NOT_OWNER",
      );
    }
    const left = Atomics.sub(this.#words, COUNT, 1) - 1;
    if (left === 0) {
      Atomics.store(this.#words, OWNER, 0);
      this.#mutex.release();
    }
  }

  /** Runs `fn` holding the lock and releases it on every path; returns fn's result. */
  withLock<T>(fn: () => T | Promise<T>): Promise<T> {
    return withHeld(this, fn);
  }

  /** Takes the lock and returns a handle that releases it when disposed. */
  hold(): Promise<Held> {
    return holdOf(this);
  }

  /** @internal The lock's id in the thread registry. */
  get id(): number {
    return this.#mutex.id;
  }

  /** @internal Hooks for Condition. */
  [condLock](): CondLockHooks {
    const words = this.#words;
    const mutex = this.#mutex;
    const own = (count: number) => {
      Atomics.store(words, OWNER, currentIdent());
      Atomics.store(words, COUNT, count);
    };
    return {
      isOwned: () => Atomics.load(words, OWNER) === currentIdent() && Atomics.load(words, COUNT) > 0,
      releaseSave: () => {
        const count = Atomics.load(words, COUNT);
        Atomics.store(words, COUNT, 0);
        Atomics.store(words, OWNER, 0);
        mutex.release();
        return count;
      },
      restoreBlocking: (count) => {
        mutex.acquireBlocking(Infinity);
        own(count);
      },
      restoreAsync: async (count) => {
        await mutex.acquireAsync(Infinity);
        own(count);
      },
    };
  }

  /** @internal Travels to threads by reference. */
  [shipRef](ctx: ShipRefContext): RefData {
    if (ctx.dest === "process") throw crossProcess("RLock", ctx.path);
    const data: RLockData = { buffer: this.#words.buffer as SharedArrayBuffer, id: this.#mutex.id };
    return { kind: KIND, module: __filename, data };
  }

  /** Shows owner and count, as Python's repr does. */
  toString(): string {
    const owner = Atomics.load(this.#words, OWNER);
    return `<RLock #${this.#mutex.id} ${owner ? `owner=${owner} count=${Atomics.load(this.#words, COUNT)}` : "unlocked"}>`;
  }

  #reenter(): boolean {
    if (Atomics.load(this.#words, OWNER) !== currentIdent()) return false;
    Atomics.add(this.#words, COUNT, 1);
    return true;
  }

  #took(ok: boolean): boolean {
    if (ok) {
      Atomics.store(this.#words, OWNER, currentIdent());
      Atomics.store(this.#words, COUNT, 1);
    }
    return ok;
  }
}

registerRefKind(KIND, (data: RLockData) => localObject(KIND, data.id, () => new RLock(data)));
