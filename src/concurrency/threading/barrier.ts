/**
 * `Barrier`: `parties` threads wait until all have arrived, then all go on
 * together. The last to arrive runs the optional `action` first. A timeout,
 * `abort()` or a failing action breaks the barrier: every waiter (now and
 * later, until `reset()`) gets a BrokenBarrierError.
 */
import { allocateLockId, setWaiting, WaitKind } from "../shared/registry";
import { deadlineOf, mayBlock, waitAsync, waitBlocking, wake, mustPoint, pointThen } from "../shared/futex";
import { gate, Op, point, Prim } from "../shared/schedule";

import { trace } from "../shared/trace";
import { localObject, rememberLocal } from "../shared/identity";
import { registerRefKind, shipRef, type RefData, type ShipRefContext, type ShippedValue } from "../shipping";
import { crossProcess } from "./lock";
import { BrokenBarrierError, ValueError, WouldBlockError } from "./errors";
// The explorer's gate held in this module: a plain load on the hot path, no lookup through the import.
const GATE = gate;

const KIND = "spindle.Barrier";
// Words: [0] arrived in this generation, [1] generation, [2] broken flag.
const COUNT = 0;
const GENERATION = 1;
const BROKEN = 2;

/** Options of `new Barrier(parties, options)`. */
export interface BarrierOptions {
  /** Run by the last thread to arrive, before the others are released. */
  action?: () => unknown;
  /** Default timeout of `wait()` in seconds (default: forever). */
  timeout?: number | null;
}

interface BarrierData {
  buffer: SharedArrayBuffer;
  id: number;
  parties: number;
  timeout: number | null;
  action: ShippedValue | undefined;
}

/** A rendezvous point for a fixed number of threads. */
export class Barrier {
  readonly #words: Int32Array;
  readonly #id: number;
  readonly #parties: number;
  readonly #action: (() => unknown) | undefined;
  readonly #timeout: number | null;

  /** Creates a barrier for `parties` threads. */
  constructor(parties: number, options?: BarrierOptions);
  /** @internal Rebuilds a barrier shipped from another thread. */
  constructor(parties: number, options: BarrierOptions, shared: { buffer: SharedArrayBuffer; id: number });
  constructor(parties: number, options: BarrierOptions = {}, shared?: { buffer: SharedArrayBuffer; id: number }) {
    if (!Number.isInteger(parties) || parties < 1) {
      throw new ValueError(`parties must be an integer ≥ 1 (got ${parties}).`, "ERR_SPINDLE_BAD_PARTIES");
    }
    this.#parties = parties;
    this.#action = options.action;
    this.#timeout = options.timeout ?? null;
    this.#words = new Int32Array(shared?.buffer ?? new SharedArrayBuffer(12));
    this.#id = shared?.id ?? allocateLockId();
    if (!shared) rememberLocal(KIND, this.#id, this);
  }

  /** How many threads must call `wait`. */
  get parties(): number {
    return this.#parties;
  }

  /** How many threads are waiting now. */
  get nWaiting(): number {
    return Atomics.load(this.#words, COUNT);
  }

  /** True when the barrier is broken. */
  get broken(): boolean {
    return Atomics.load(this.#words, BROKEN) === 1;
  }

  /**
   * Waits for all parties; resolves this thread's arrival index (0 … parties-1). Rejects with
   * BrokenBarrierError when broken or when `timeout` seconds pass (which breaks it for everyone).
   */
  async wait(timeout?: number | null): Promise<number> {
    if (GATE[0] !== 0 && mustPoint()) return pointThen(Op.Wait, Prim.Barrier, this.#id, () => this.wait(timeout));
    const { index, generation, deadline } = this.#arrive(timeout);
    if (index === this.#parties - 1) return this.#release(index);
    this.#startWait();
    try {
      for (;;) {
        if (this.#passed(generation)) return index;
        const woke = mayBlock
          ? waitBlocking(this.#words, GENERATION, generation, deadline)
          : await waitAsync(this.#words, GENERATION, generation, deadline);
        if (!woke) this.#timedOut(generation, "Barrier.wait");
      }
    } finally {
      setWaiting(0, WaitKind.None);
    }
  }

  /** Blocking `wait` for code inside a thread. */
  waitSync(timeout?: number | null): number {
    if (GATE[0] !== 0) point(Op.Wait, Prim.Barrier, this.#id);
    if (!mayBlock) throw new WouldBlockError("Barrier.waitSync()", "await barrier.wait()");
    const { index, generation, deadline } = this.#arrive(timeout);
    if (index === this.#parties - 1) return this.#release(index);
    this.#startWait();
    try {
      for (;;) {
        if (this.#passed(generation)) return index;
        if (!waitBlocking(this.#words, GENERATION, generation, deadline))
          this.#timedOut(generation, "Barrier.waitSync");
      }
    } finally {
      setWaiting(0, WaitKind.None);
    }
  }

  /** Breaks the barrier: current and future waiters get BrokenBarrierError until `reset()`. */
  abort(): void {
    if (GATE[0] !== 0) point(Op.Set, Prim.Barrier, this.#id);
    Atomics.store(this.#words, BROKEN, 1);
    trace("broken", "Barrier", this.#id);
    Atomics.add(this.#words, GENERATION, 0);
    wake(this.#words, GENERATION);
  }

  /** Returns the barrier to its empty state; threads waiting now get BrokenBarrierError. */
  reset(): void {
    if (GATE[0] !== 0) point(Op.Clear, Prim.Barrier, this.#id);
    if (this.nWaiting > 0) this.abort();
    Atomics.store(this.#words, COUNT, 0);
    Atomics.store(this.#words, BROKEN, 0);
    Atomics.add(this.#words, GENERATION, 1);
    wake(this.#words, GENERATION);
  }

  /** @internal Travels to threads by reference (its action travels as source). */
  [shipRef](ctx: ShipRefContext): RefData {
    if (ctx.dest === "process") throw crossProcess("Barrier", ctx.path);
    const data: BarrierData = {
      buffer: this.#words.buffer as SharedArrayBuffer,
      id: this.#id,
      parties: this.#parties,
      timeout: this.#timeout,
      action: this.#action ? ctx.pack(this.#action, `${ctx.path}.action`) : undefined,
    };
    return { kind: KIND, module: __filename, data };
  }

  #arrive(timeout: number | null | undefined): { index: number; generation: number; deadline: number } {
    const deadline = deadlineOf(timeout === undefined ? this.#timeout : timeout, "Barrier.wait timeout");
    if (this.broken) throw new BrokenBarrierError();
    const generation = Atomics.load(this.#words, GENERATION);
    const index = Atomics.add(this.#words, COUNT, 1);
    return { index, generation, deadline };
  }

  #release(index: number): number {
    try {
      this.#action?.();
    } catch (err) {
      this.abort();
      throw err;
    }
    Atomics.store(this.#words, COUNT, 0);
    Atomics.add(this.#words, GENERATION, 1);
    trace("notify", "Barrier", this.#id);
    wake(this.#words, GENERATION);
    return index;
  }

  /** True once the barrier moved past `generation`; a BrokenBarrierError when it broke meanwhile. */
  #passed(generation: number): boolean {
    if (Atomics.load(this.#words, GENERATION) !== generation) return true;
    if (this.broken) throw new BrokenBarrierError();
    return false;
  }

  /** A wait ran out of time: unless the barrier just passed, it breaks for everyone. */
  #timedOut(generation: number, what: string): void {
    if (Atomics.load(this.#words, GENERATION) !== generation) return;
    this.abort();
    throw new BrokenBarrierError(
      `${what} timed out with ${this.nWaiting} of ${this.#parties} threads arrived; the barrier is now broken.`,
    );
  }

  #startWait(): void {
    trace("wait", "Barrier", this.#id);
    setWaiting(this.#id, WaitKind.Other);
  }
}

registerRefKind(KIND, (data: BarrierData, ctx) =>
  localObject(
    KIND,
    data.id,
    () =>
      new Barrier(
        data.parties,
        { timeout: data.timeout, action: data.action ? (ctx.unpack(data.action) as () => unknown) : undefined },
        { buffer: data.buffer, id: data.id },
      ),
  ),
);
