/**
 * `Semaphore` and `BoundedSemaphore`: a counter in shared memory; `acquire`
 * takes one unit (waiting while it is 0), `release(n)` gives n back. A plain
 * Semaphore may be released beyond its starting value (as in Python); a
 * BoundedSemaphore refuses that with a ValueError.
 */
import { allocateLockId, setWaiting, WaitKind } from "../shared/registry";
import { mayBlock, waitAsync, waitBlocking, wake, mustPoint, pointThen } from "../shared/futex";
import { gate, Op, point, Prim } from "../shared/schedule";

import { trace } from "../shared/trace";
import { localObject, rememberLocal } from "../shared/identity";
import { registerRefKind, shipRef, type RefData, type ShipRefContext } from "../shipping";
import { acquireDeadline, type AcquireArg } from "./acquire-options";
import { ValueError, WouldBlockError } from "./errors";
import { holdOf, withHeld, type Held } from "./held";
import { crossProcess } from "./lock";
// The explorer's gate held in this module: a plain load on the hot path, no lookup through the import.
const GATE = gate;

const KIND = "spindle.Semaphore";
// Words: [0] value, [1] waiters, [2] bound (-1: unbounded).
const VALUE = 0;
const WAITERS = 1;
const BOUND = 2;

interface SemaphoreData {
  buffer: SharedArrayBuffer;
  id: number;
  bounded: boolean;
}

/** A counting semaphore shared by every thread it is handed to. */
export class Semaphore {
  readonly #words: Int32Array;
  readonly #id: number;

  /** Creates a semaphore holding `value` units (default 1). */
  constructor(value?: number);
  /** @internal Rebuilds a semaphore shipped from another thread. */
  constructor(value: number, shared: SemaphoreData);
  constructor(value = 1, shared?: SemaphoreData) {
    if (!shared && (!Number.isInteger(value) || value < 0)) {
      throw new ValueError(
        `semaphore initial value must be an integer ≥ 0 (got ${value}).`,
        "ERR_SPINDLE_BAD_SEMAPHORE_VALUE",
      );
    }
    this.#words = new Int32Array(shared?.buffer ?? new SharedArrayBuffer(12));
    this.#id = shared?.id ?? allocateLockId();
    if (!shared) {
      Atomics.store(this.#words, VALUE, value);
      Atomics.store(this.#words, BOUND, new.target === BoundedSemaphore ? value : -1);
      rememberLocal(KIND, this.#id, this);
    }
  }

  /** Takes one unit; resolves false on timeout (seconds) or, with `blocking = false`, when none is free. */
  acquire(blocking?: AcquireArg, timeout?: number | null): Promise<boolean> {
    if (GATE[0] !== 0 && mustPoint())
      return pointThen(Op.Acquire, Prim.Semaphore, this.#id, () => this.acquire(blocking, timeout));
    try {
      const deadline = acquireDeadline(blocking, timeout, `${this.#name}.acquire`);
      if (deadline === "try") return Promise.resolve(this.#tryTake());
      if (this.#tryTake()) return Promise.resolve(true);
      if (mayBlock) return Promise.resolve(this.#acquireBlocking(deadline));
      return this.#acquireAsync(deadline);
    } catch (err) {
      return Promise.reject(err);
    }
  }

  /** Takes one unit synchronously: blocking inside a thread; on the main thread only with `blocking = false`. */
  acquireSync(blocking?: AcquireArg, timeout?: number | null): boolean {
    if (GATE[0] !== 0) point(Op.Acquire, Prim.Semaphore, this.#id);
    const deadline = acquireDeadline(blocking, timeout, `${this.#name}.acquireSync`);
    if (deadline === "try") return this.#tryTake();
    if (this.#tryTake()) return true;
    if (!mayBlock) throw new WouldBlockError(`${this.#name}.acquireSync()`, "await sem.acquire()");
    return this.#acquireBlocking(deadline);
  }

  /** Gives `n` units back (default 1), waking up to `n` waiters. */
  release(n = 1): void {
    if (GATE[0] !== 0) point(Op.Release, Prim.Semaphore, this.#id);
    if (!Number.isInteger(n) || n < 1)
      throw new ValueError(`n must be an integer ≥ 1 (got ${n}).`, "ERR_SPINDLE_BAD_RELEASE_COUNT");
    const bound = Atomics.load(this.#words, BOUND);
    if (bound < 0) {
      Atomics.add(this.#words, VALUE, n);
    } else {
      for (;;) {
        const v = Atomics.load(this.#words, VALUE);
        if (v + n > bound) {
          throw new ValueError(
            `Semaphore released too many times: a BoundedSemaphore(${bound}) would hold ${v + n}. Release only what you acquired.`,
            "ERR_SPINDLE_SEMAPHORE_OVER_RELEASE",
          );
        }
        if (Atomics.compareExchange(this.#words, VALUE, v, v + n) === v) break;
      }
    }
    trace("released", this.#name, this.#id);
    if (Atomics.load(this.#words, WAITERS) > 0) wake(this.#words, VALUE, n);
  }

  /** Runs `fn` holding one unit and gives it back on every path; returns fn's result. */
  withLock<T>(fn: () => T | Promise<T>): Promise<T> {
    return withHeld(this, fn);
  }

  /** Takes one unit and returns a handle that gives it back when disposed. */
  hold(): Promise<Held> {
    return holdOf(this);
  }

  /** @internal Travels to threads by reference. */
  [shipRef](ctx: ShipRefContext): RefData {
    if (ctx.dest === "process") throw crossProcess(this.#name, ctx.path);
    const data: SemaphoreData = {
      buffer: this.#words.buffer as SharedArrayBuffer,
      id: this.#id,
      bounded: this instanceof BoundedSemaphore,
    };
    return { kind: KIND, module: __filename, data };
  }

  /** Shows the current value. */
  toString(): string {
    return `<${this.#name} #${this.#id} value=${Atomics.load(this.#words, VALUE)}>`;
  }

  get #name(): string {
    return this instanceof BoundedSemaphore ? "BoundedSemaphore" : "Semaphore";
  }

  #tryTake(): boolean {
    for (;;) {
      const v = Atomics.load(this.#words, VALUE);
      if (v <= 0) return false;
      if (Atomics.compareExchange(this.#words, VALUE, v, v - 1) === v) {
        trace("acquired", this.#name, this.#id);
        return true;
      }
    }
  }

  #acquireBlocking(deadline: number): boolean {
    this.#startWaiting();
    try {
      for (;;) {
        if (this.#tryTake()) return true;
        if (!waitBlocking(this.#words, VALUE, 0, deadline) && !this.#tryTake()) return this.#timedOut();
      }
    } finally {
      this.#stopWaiting();
    }
  }

  async #acquireAsync(deadline: number): Promise<boolean> {
    this.#startWaiting();
    try {
      for (;;) {
        if (this.#tryTake()) return true;
        if (!(await waitAsync(this.#words, VALUE, 0, deadline)) && !this.#tryTake()) return this.#timedOut();
      }
    } finally {
      this.#stopWaiting();
    }
  }

  #startWaiting(): void {
    trace("acquire-wait", this.#name, this.#id);
    setWaiting(this.#id, WaitKind.Other);
    Atomics.add(this.#words, WAITERS, 1);
  }

  #stopWaiting(): void {
    Atomics.sub(this.#words, WAITERS, 1);
    setWaiting(0, WaitKind.None);
  }

  #timedOut(): false {
    trace("acquire-timeout", this.#name, this.#id);
    return false;
  }
}

/** A semaphore that refuses to be released above its starting value (a ValueError). */
export class BoundedSemaphore extends Semaphore {}

registerRefKind(KIND, (data: SemaphoreData) =>
  localObject(KIND, data.id, () => (data.bounded ? new BoundedSemaphore(0, data) : new Semaphore(0, data))),
);
