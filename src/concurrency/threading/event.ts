/**
 * `Event`: a flag in shared memory. `wait` returns once it is set (true) or
 * when the timeout runs out (false); `set` wakes every waiter at once.
 */
import { allocateLockId, setWaiting, WaitKind } from "../shared/registry";
import { deadlineOf, mayBlock, waitAsync, waitBlocking, wake, mustPoint, pointThen } from "../shared/futex";
import { gate, Op, point, Prim } from "../shared/schedule";

import { trace } from "../shared/trace";
import { localObject, rememberLocal } from "../shared/identity";
import { registerRefKind, shipRef, type RefData, type ShipRefContext } from "../shipping";
import { crossProcess } from "./lock";
import { WouldBlockError } from "./errors";

const KIND = "spindle.Event";
const FLAG = 0;

interface EventData {
  buffer: SharedArrayBuffer;
  id: number;
}

/** A one-bit signal every thread can wait on. */
export class Event {
  readonly #words: Int32Array;
  readonly #id: number;

  /** Creates an event that is not set. */
  constructor();
  /** @internal Rebuilds an event shipped from another thread. */
  constructor(shared: EventData);
  constructor(shared?: EventData) {
    this.#words = new Int32Array(shared?.buffer ?? new SharedArrayBuffer(4));
    this.#id = shared?.id ?? allocateLockId();
    if (!shared) rememberLocal(KIND, this.#id, this);
  }

  /** True when the flag is set. */
  isSet(): boolean {
    return Atomics.load(this.#words, FLAG) === 1;
  }

  /** Sets the flag and wakes every waiting thread. */
  set(): void {
    if (gate[0] !== 0) point(Op.Set, Prim.Event, this.#id);
    Atomics.store(this.#words, FLAG, 1);
    trace("set", "Event", this.#id);
    wake(this.#words, FLAG);
  }

  /** Clears the flag; later waits block until the next `set`. */
  clear(): void {
    if (gate[0] !== 0) point(Op.Clear, Prim.Event, this.#id);
    Atomics.store(this.#words, FLAG, 0);
    trace("clear", "Event", this.#id);
  }

  /**
   * Waits until the flag is set; resolves true, or false when `timeout` seconds (scaled by SPINDLE_TIME_SCALE;
   * default: forever) pass first. Await it on the main thread; inside a thread it blocks.
   */
  wait(timeout?: number | null): Promise<boolean> {
    if (gate[0] !== 0 && mustPoint()) return pointThen(Op.Wait, Prim.Event, this.#id, () => this.wait(timeout));
    try {
      const deadline = deadlineOf(timeout, "Event.wait timeout");
      if (this.isSet()) return Promise.resolve(true);
      if (mayBlock) return Promise.resolve(this.#waitBlocking(deadline));
      return this.#waitAsync(deadline);
    } catch (err) {
      return Promise.reject(err);
    }
  }

  /** Blocking `wait` for code inside a thread (the main thread must await `wait` instead). */
  waitSync(timeout?: number | null): boolean {
    if (gate[0] !== 0) point(Op.Wait, Prim.Event, this.#id);
    const deadline = deadlineOf(timeout, "Event.waitSync timeout");
    if (this.isSet()) return true;
    if (!mayBlock) throw new WouldBlockError("Event.waitSync()", "await event.wait()");
    return this.#waitBlocking(deadline);
  }

  /** @internal Travels to threads by reference. */
  [shipRef](ctx: ShipRefContext): RefData {
    if (ctx.dest === "process") throw crossProcess("Event", ctx.path);
    return { kind: KIND, module: __filename, data: { buffer: this.#words.buffer as SharedArrayBuffer, id: this.#id } };
  }

  /** Shows the state. */
  toString(): string {
    return `<Event #${this.#id} ${this.isSet() ? "set" : "unset"}>`;
  }

  #waitBlocking(deadline: number): boolean {
    this.#startWait();
    try {
      while (!this.isSet()) if (!waitBlocking(this.#words, FLAG, 0, deadline)) break;
      return this.#endWait();
    } finally {
      setWaiting(0, WaitKind.None);
    }
  }

  async #waitAsync(deadline: number): Promise<boolean> {
    this.#startWait();
    try {
      while (!this.isSet()) if (!(await waitAsync(this.#words, FLAG, 0, deadline))) break;
      return this.#endWait();
    } finally {
      setWaiting(0, WaitKind.None);
    }
  }

  #startWait(): void {
    trace("wait", "Event", this.#id);
    setWaiting(this.#id, WaitKind.Other);
  }

  #endWait(): boolean {
    const set = this.isSet();
    trace(set ? "woke" : "wait-timeout", "Event", this.#id);
    return set;
  }
}

registerRefKind(KIND, (data: EventData) => localObject(KIND, data.id, () => new Event(data)));
