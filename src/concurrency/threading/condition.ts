/**
 * `Condition`: wait until notified, releasing the lock meanwhile. Waiters are
 * served first-come first-served (as Python's deque of waiters does): each
 * waiter takes a ticket and sleeps on its own word of shared memory, and
 * `notify(n)` wakes the n oldest tickets still waiting.
 */
import { allocateLockId, setWaiting, WaitKind } from "../shared/registry";
import {
  deadlineOf,
  mayBlock,
  remainingMs,
  waitAsync,
  waitBlocking,
  wake,
  mustPoint,
  pointThen,
} from "../shared/futex";
import { gate, Op, point, Prim } from "../shared/schedule";

import { trace } from "../shared/trace";
import { timeScale } from "../time/scale";
import { localObject, rememberLocal } from "../shared/identity";
import { registerRefKind, shipRef, type RefData, type ShipRefContext, type ShippedValue } from "../shipping";
import { crossProcess, Lock } from "./lock";
import { RLock } from "./rlock";
import { condLock, type CondLockHooks, type ConditionLock } from "./cond-lock";
import { RuntimeError, WouldBlockError } from "./errors";
import { type AcquireArg } from "./acquire-options";
import { Held } from "./held";
// The explorer's gate held in this module: a plain load on the hot path, no lookup through the import.
const GATE = gate;

const KIND = "spindle.Condition";
const NEXT = 0;
const HEAD = 1;
const SLOTS_AT = 4;
const CAPACITY = 128;
const FREE = 0;
const WAITING = 1;
const NOTIFIED = 2;
const CANCELLED = 3;

interface ConditionData {
  buffer: SharedArrayBuffer;
  id: number;
  lock: ShippedValue;
}

/** A condition variable over a Lock or RLock (an RLock of its own by default). */
export class Condition {
  readonly #words: Int32Array;
  readonly #id: number;
  readonly #lock: Lock | RLock;
  readonly #hooks: CondLockHooks;

  /** Creates a condition using `lock` (default: a new RLock). */
  constructor(lock?: Lock | RLock);
  /** @internal Rebuilds a condition shipped from another thread. */
  constructor(lock: Lock | RLock, shared: { buffer: SharedArrayBuffer; id: number });
  constructor(lock?: Lock | RLock, shared?: { buffer: SharedArrayBuffer; id: number }) {
    this.#lock = lock ?? new RLock();
    this.#hooks = (this.#lock as unknown as ConditionLock)[condLock]();
    this.#words = new Int32Array(shared?.buffer ?? new SharedArrayBuffer((SLOTS_AT + 2 * CAPACITY) * 4));
    this.#id = shared?.id ?? allocateLockId();
    if (!shared) rememberLocal(KIND, this.#id, this);
  }

  /** Takes the underlying lock (see Lock.acquire). */
  acquire(blocking?: AcquireArg, timeout?: number | null): Promise<boolean> {
    return this.#lock.acquire(blocking, timeout);
  }

  /** Takes the underlying lock synchronously (see Lock.acquireSync). */
  acquireSync(blocking?: AcquireArg, timeout?: number | null): boolean {
    return this.#lock.acquireSync(blocking, timeout);
  }

  /** Releases the underlying lock. */
  release(): void {
    this.#lock.release();
  }

  /** Runs `fn` holding the lock and releases it on every path (Python's `with cond:`). */
  withLock<T>(fn: () => T | Promise<T>): Promise<T> {
    return this.#lock.withLock(fn);
  }

  /** Takes the lock and returns a handle that releases it when disposed. */
  hold(): Promise<Held> {
    return this.#lock.hold();
  }

  /**
   * Releases the lock, waits to be notified, takes the lock back. Resolves true when notified, false when
   * `timeout` seconds passed first. The lock must be held (a RuntimeError otherwise).
   */
  async wait(timeout?: number | null): Promise<boolean> {
    if (GATE[0] !== 0 && mustPoint()) return pointThen(Op.Wait, Prim.Condition, this.#id, () => this.wait(timeout));
    const { slot, deadline, saved } = this.#enter(timeout, "wait");
    let notified: boolean;
    try {
      if (mayBlock) notified = this.#sleepBlocking(slot, deadline);
      else {
        while (Atomics.load(this.#words, slot) === WAITING)
          if (!(await waitAsync(this.#words, slot, WAITING, deadline))) break;
        notified = this.#settle(slot);
      }
    } finally {
      setWaiting(0, WaitKind.None);
      if (mayBlock) this.#hooks.restoreBlocking(saved);
      else await this.#hooks.restoreAsync(saved);
    }
    return notified;
  }

  /** Blocking `wait` for code inside a thread. */
  waitSync(timeout?: number | null): boolean {
    if (GATE[0] !== 0) point(Op.Wait, Prim.Condition, this.#id);
    if (!mayBlock) throw new WouldBlockError("Condition.waitSync()", "await cond.wait()");
    const { slot, deadline, saved } = this.#enter(timeout, "waitSync");
    try {
      return this.#sleepBlocking(slot, deadline);
    } finally {
      setWaiting(0, WaitKind.None);
      this.#hooks.restoreBlocking(saved);
    }
  }

  /** Waits until `predicate()` is true (checked first, then after each wake-up); resolves its last value. */
  async waitFor<T>(predicate: () => T | Promise<T>, timeout?: number | null): Promise<T> {
    const deadline = deadlineOf(timeout, "Condition.waitFor timeout");
    let result = await predicate();
    while (!result) {
      const left = remainingMs(deadline);
      if (left === 0) break;
      await this.wait(left === Infinity ? undefined : left / 1000 / scaleOf());
      result = await predicate();
    }
    return result;
  }

  /** Blocking `waitFor` for code inside a thread. */
  waitForSync<T>(predicate: () => T, timeout?: number | null): T {
    const deadline = deadlineOf(timeout, "Condition.waitForSync timeout");
    let result = predicate();
    while (!result) {
      const left = remainingMs(deadline);
      if (left === 0) break;
      this.waitSync(left === Infinity ? undefined : left / 1000 / scaleOf());
      result = predicate();
    }
    return result;
  }

  /** Wakes up to `n` (default 1) waiting threads, oldest first. The lock must be held. */
  notify(n = 1): void {
    if (GATE[0] !== 0) point(Op.Notify, Prim.Condition, this.#id);
    if (!this.#hooks.isOwned()) {
      throw new RuntimeError(
        "cannot notify on un-acquired lock: acquire the condition's lock before notify().",
        "ERR_SPINDLE_NOT_OWNER",
      );
    }
    const next = Atomics.load(this.#words, NEXT);
    let ticket = Atomics.load(this.#words, HEAD);
    let left = n;
    while (ticket < next && left > 0) {
      const slot = slotOf(ticket);
      if (
        Atomics.load(this.#words, slot + 1) === ticket &&
        Atomics.compareExchange(this.#words, slot, WAITING, NOTIFIED) === WAITING
      ) {
        wake(this.#words, slot, 1);
        left--;
      }
      ticket++;
    }
    Atomics.store(this.#words, HEAD, ticket);
    trace("notify", "Condition", this.#id);
  }

  /** Wakes every waiting thread. The lock must be held. */
  notifyAll(): void {
    if (GATE[0] !== 0) point(Op.Notify, Prim.Condition, this.#id);
    this.notify(Number.MAX_SAFE_INTEGER);
  }

  /** @internal Travels to threads by reference, with its lock. */
  [shipRef](ctx: ShipRefContext): RefData {
    if (ctx.dest === "process") throw crossProcess("Condition", ctx.path);
    const data: ConditionData = {
      buffer: this.#words.buffer as SharedArrayBuffer,
      id: this.#id,
      lock: ctx.pack(this.#lock, `${ctx.path}.lock`),
    };
    return { kind: KIND, module: __filename, data };
  }

  /** Shows the number of waiters. */
  toString(): string {
    const waiting = Atomics.load(this.#words, NEXT) - Atomics.load(this.#words, HEAD);
    return `<Condition #${this.#id} (${String(this.#lock)}), up to ${waiting} waiting>`;
  }

  #enter(timeout: number | null | undefined, what: string): { slot: number; deadline: number; saved: number } {
    if (!this.#hooks.isOwned()) {
      throw new RuntimeError(
        `cannot ${what} on un-acquired lock: acquire the condition's lock before ${what}().`,
        "ERR_SPINDLE_NOT_OWNER",
      );
    }
    const deadline = deadlineOf(timeout, `Condition.${what} timeout`);
    const ticket = Atomics.add(this.#words, NEXT, 1);
    const slot = slotOf(ticket);
    if (Atomics.load(this.#words, slot) !== FREE) {
      Atomics.sub(this.#words, NEXT, 1);
      throw new RuntimeError(
        `Condition supports at most ${CAPACITY} threads waiting at once.`,
        "ERR_SPINDLE_TOO_MANY_WAITERS",
      );
    }
    Atomics.store(this.#words, slot + 1, ticket);
    Atomics.store(this.#words, slot, WAITING);
    trace("wait", "Condition", this.#id);
    setWaiting(this.#id, WaitKind.Other);
    const saved = this.#hooks.releaseSave();
    return { slot, deadline, saved };
  }

  #sleepBlocking(slot: number, deadline: number): boolean {
    while (Atomics.load(this.#words, slot) === WAITING) if (!waitBlocking(this.#words, slot, WAITING, deadline)) break;
    return this.#settle(slot);
  }

  /** Ends a wait: a waiter still WAITING timed out and cancels its ticket (unless a notify just won the race). */
  #settle(slot: number): boolean {
    const notified = Atomics.compareExchange(this.#words, slot, WAITING, CANCELLED) !== WAITING;
    Atomics.store(this.#words, slot, FREE);
    trace(notified ? "woke" : "wait-timeout", "Condition", this.#id);
    return notified;
  }
}

function slotOf(ticket: number): number {
  return SLOTS_AT + 2 * (ticket % CAPACITY);
}

/** waitFor converts its remaining scaled milliseconds back to user seconds for `wait`. */
function scaleOf(): number {
  return timeScale();
}

registerRefKind(KIND, (data: ConditionData, ctx) =>
  localObject(
    KIND,
    data.id,
    () => new Condition(ctx.unpack(data.lock) as Lock | RLock, { buffer: data.buffer, id: data.id }),
  ),
);
