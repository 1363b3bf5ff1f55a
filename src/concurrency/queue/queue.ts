/**
 * `Queue`, `LifoQueue`, `PriorityQueue`: Python's `queue` module on shared
 * memory, usable between any threads (and the main thread). Items are copied
 * in (see codec.ts). `put` waits while the queue is full, `get` while it is
 * empty — awaited on the main thread, blocking inside a thread — and
 * `taskDone`/`join` count unfinished work as in Python.
 */
import { allocateLockId, setWaiting, WaitKind } from "../shared/registry";
import { mayBlock, waitAsync, waitBlocking, wake, mustPoint, pointThen } from "../shared/futex";
import { gate, Op, point, Prim } from "../shared/schedule";

import { Mutex } from "../shared/mutex";
import { trace } from "../shared/trace";
import { rememberLocal } from "../shared/identity";
import path from "node:path";
import { shipRef, ShippingError, type RefData, type ShipRefContext } from "../shipping";
import { ValueError, WouldBlockError } from "../threading/errors";
import { decodeItem, encodeItem, type EncodedItem } from "./codec";
import { H, Order, QueueMemory } from "./storage";
import { emptyError, fullError, spinWhile, waitMode, type BlockArg } from "./waiting";
import { SpindleError } from "../../errors";
// The explorer's gate held in this module: a plain load on the hot path, no lookup through the import.
const GATE = gate;

/** The by-reference kind of queues (registered, with the subclasses, in variants.ts). */
export const QUEUE_KIND = "spindle.Queue";
const VARIANTS_MODULE = path.join(__dirname, "variants.js");
const DEFAULT_BYTES = 1 << 20;

/** Options of the queue constructors besides `maxsize`. */
export interface QueueOptions {
  /** Bytes of shared memory for the items (default 1 MiB); a full byte area makes `put` wait like a full queue. */
  byteCapacity?: number;
}

/** What a queue travels as. */
export interface QueueData {
  buffer: SharedArrayBuffer;
  id: number;
}

/** A first-in, first-out queue shared by every thread it is handed to. */
export class Queue<T = unknown> {
  readonly #mem: QueueMemory;
  readonly #mutex: Mutex;
  readonly #id: number;

  /** Creates a queue holding at most `maxsize` items (0 or less: no limit but its byte capacity). */
  constructor(maxsize?: number, options?: QueueOptions);
  /** @internal Rebuilds a queue shipped from another thread. */
  constructor(maxsize: number, options: QueueOptions, shared: QueueData);
  constructor(maxsize = 0, options: QueueOptions = {}, shared?: QueueData) {
    if (shared) {
      this.#mem = new QueueMemory(shared.buffer);
      this.#id = shared.id;
    } else {
      if (!Number.isInteger(maxsize))
        throw new ValueError(`maxsize must be an integer (got ${maxsize}).`, "ERR_SPINDLE_QUEUE_MAXSIZE");
      const bytes = options.byteCapacity ?? DEFAULT_BYTES;
      if (!Number.isInteger(bytes) || bytes < 64) {
        throw new ValueError(`byteCapacity must be an integer ≥ 64 (got ${bytes}).`, "ERR_SPINDLE_QUEUE_BYTES");
      }
      this.#mem = QueueMemory.create(this.order, maxsize, bytes);
      this.#mem.h[H.MUTEX_ID] = allocateLockId();
      this.#id = allocateLockId();
      rememberLocal(QUEUE_KIND, this.#id, this);
    }
    // The internal mutex has an id of its own in the owner table, so a stopped thread's hold on it is freed.
    this.#mutex = new Mutex(this.#mem.h, this.#mem.h[H.MUTEX_ID], "");
  }

  /** @internal Which end `get` takes from (subclasses override). */
  protected get order(): Order {
    return Order.FIFO;
  }

  /** @internal The priority key of an item (PriorityQueue overrides). */
  protected keyOf(item: T): Uint8Array | undefined {
    void item;
    return undefined;
  }

  /** Items now in the queue (a snapshot, as in Python). */
  qsize(): number {
    return Atomics.load(this.#mem.h, H.COUNT);
  }

  /** True when the queue holds no items (a snapshot). */
  empty(): boolean {
    return this.qsize() === 0;
  }

  /** True when the queue holds `maxsize` items (a snapshot). */
  full(): boolean {
    const max = this.#mem.h[H.MAXSIZE];
    return max > 0 && this.qsize() >= max;
  }

  /** The `maxsize` the queue was made with. */
  get maxsize(): number {
    return this.#mem.h[H.MAXSIZE];
  }

  /**
   * Adds `item`, waiting while the queue is full (`timeout` seconds at most, then Full). With `block = false`,
   * Full at once. Await it on the main thread; inside a thread it blocks.
   */
  put(item: T, block?: BlockArg, timeout?: number | null): Promise<void> {
    if (GATE[0] !== 0 && mustPoint())
      return pointThen(Op.Put, Prim.Queue, this.#id, () => this.put(item, block, timeout));
    try {
      const { deadline, wait } = waitMode(block, timeout, "put");
      const encoded = encodeItem(item, "Queue.put");
      const key = this.keyOf(item);
      if (this.#tryPut(encoded, key)) return Promise.resolve();
      if (!wait) throw fullError(this.maxsize, 0);
      if (mayBlock) return Promise.resolve(this.#putBlocking(encoded, key, deadline, timeout));
      return this.#putAsync(encoded, key, deadline, timeout);
    } catch (err) {
      return Promise.reject(err);
    }
  }

  /** Blocking `put` for code inside a thread. */
  putSync(item: T, block?: BlockArg, timeout?: number | null): void {
    if (GATE[0] !== 0) point(Op.Put, Prim.Queue, this.#id);
    const { deadline, wait } = waitMode(block, timeout, "putSync");
    const encoded = encodeItem(item, "Queue.putSync");
    const key = this.keyOf(item);
    if (this.#tryPut(encoded, key)) return;
    if (!wait) throw fullError(this.maxsize, 0);
    if (!mayBlock) throw new WouldBlockError("Queue.putSync()", "await q.put(item)");
    this.#putBlocking(encoded, key, deadline, timeout);
  }

  /** Adds `item` now or raises Full (Python's `put_nowait`). */
  putNowait(item: T): void {
    if (GATE[0] !== 0) point(Op.Put, Prim.Queue, this.#id);
    const encoded = encodeItem(item, "Queue.putNowait");
    if (!this.#tryPut(encoded, this.keyOf(item))) throw fullError(this.maxsize, 0);
  }

  /**
   * Removes and returns the next item, waiting while the queue is empty (`timeout` seconds at most, then Empty).
   * With `block = false`, Empty at once. Await it on the main thread; inside a thread it blocks.
   */
  get(block?: BlockArg, timeout?: number | null): Promise<T> {
    if (GATE[0] !== 0 && mustPoint()) return pointThen(Op.Get, Prim.Queue, this.#id, () => this.get(block, timeout));
    try {
      const { deadline, wait } = waitMode(block, timeout, "get");
      const got = this.#tryGet();
      if (got !== NOTHING) return Promise.resolve(got);
      if (!wait) throw emptyError(0);
      if (mayBlock) return Promise.resolve(this.#getBlocking(deadline, timeout));
      return this.#getAsync(deadline, timeout);
    } catch (err) {
      return Promise.reject(err);
    }
  }

  /** Blocking `get` for code inside a thread. */
  getSync(block?: BlockArg, timeout?: number | null): T {
    if (GATE[0] !== 0) point(Op.Get, Prim.Queue, this.#id);
    const { deadline, wait } = waitMode(block, timeout, "getSync");
    const got = this.#tryGet();
    if (got !== NOTHING) return got;
    if (!wait) throw emptyError(0);
    if (!mayBlock) throw new WouldBlockError("Queue.getSync()", "await q.get()");
    return this.#getBlocking(deadline, timeout);
  }

  /** Removes and returns the next item now, or raises Empty (Python's `get_nowait`). */
  getNowait(): T {
    if (GATE[0] !== 0) point(Op.Get, Prim.Queue, this.#id);
    const got = this.#tryGet();
    if (got === NOTHING) throw emptyError(0);
    return got;
  }

  /** Marks one item taken with `get` as processed; a ValueError when called more times than items were put. */
  taskDone(): void {
    if (GATE[0] !== 0) point(Op.Release, Prim.Queue, this.#id);
    const h = this.#mem.h;
    for (;;) {
      const n = Atomics.load(h, H.UNFINISHED);
      if (n <= 0)
        throw new ValueError(
          "task_done() called too many times: more than items were put.",
          "ERR_SPINDLE_QUEUE_TASK_DONE",
        );
      if (Atomics.compareExchange(h, H.UNFINISHED, n, n - 1) === n) {
        if (n === 1) {
          Atomics.add(h, H.ALL_DONE, 1);
          wake(h, H.ALL_DONE);
        }
        return;
      }
    }
  }

  /** Waits until every item put has been marked done with `taskDone()`. */
  async join(): Promise<void> {
    if (GATE[0] !== 0 && mustPoint()) return pointThen(Op.Join, Prim.Queue, this.#id, () => this.join());
    const h = this.#mem.h;
    for (;;) {
      const seq = Atomics.load(h, H.ALL_DONE);
      if (Atomics.load(h, H.UNFINISHED) === 0) return;
      if (mayBlock) waitBlocking(h, H.ALL_DONE, seq, Infinity);
      else await waitAsync(h, H.ALL_DONE, seq, Infinity);
    }
  }

  /** Blocking `join` for code inside a thread. */
  joinSync(): void {
    if (GATE[0] !== 0) point(Op.Join, Prim.Queue, this.#id);
    if (!mayBlock) throw new WouldBlockError("Queue.joinSync()", "await q.join()");
    const h = this.#mem.h;
    for (;;) {
      const seq = Atomics.load(h, H.ALL_DONE);
      if (Atomics.load(h, H.UNFINISHED) === 0) return;
      waitBlocking(h, H.ALL_DONE, seq, Infinity);
    }
  }

  /** @internal Travels to threads by reference. */
  [shipRef](ctx: ShipRefContext): RefData {
    if (ctx.dest === "process") {
      throw new ShippingError(
        `'${ctx.path}' is a queue.${this.constructor.name}, which lives in this process's memory; use multiprocessing's Queue between processes.`,
        "ERR_SPINDLE_SHIP_UNCLONEABLE",
      );
    }
    return {
      kind: QUEUE_KIND,
      module: VARIANTS_MODULE,
      data: { buffer: this.#mem.buffer, id: this.#id } satisfies QueueData,
    };
  }

  /** Shows size and limit. */
  toString(): string {
    return `<${this.constructor.name} size=${this.qsize()}${this.maxsize > 0 ? ` maxsize=${this.maxsize}` : ""}>`;
  }

  #lock(): void {
    if (this.#mutex.tryAcquire()) return;
    if (mayBlock) {
      this.#mutex.acquireBlocking(Infinity);
      return;
    }
    // The main thread cannot block; holders keep this lock for a few microseconds, so spin.
    const giveUp = performance.now() + 2000;
    while (!this.#mutex.tryAcquire()) {
      if (performance.now() > giveUp) {
        throw new SpindleError(
          "The queue's internal lock stayed taken for 2 s: a thread was stopped in the middle of put/get. Interrupt the cell to free it.",
          "ERR_SPINDLE_QUEUE_STUCK",
        );
      }
    }
  }

  #tryPut(item: EncodedItem, key: Uint8Array | undefined): boolean {
    if (item.bytes > this.#mem.maxItemBytes()) {
      throw new ValueError(
        `Queue item of ${item.bytes} bytes does not fit in the queue's ${this.#mem.capacity} bytes; create it with { byteCapacity: ${item.bytes * 4} }.`,
        "ERR_SPINDLE_QUEUE_ITEM_TOO_BIG",
      );
    }
    const h = this.#mem.h;
    this.#lock();
    let ok = false;
    try {
      const max = h[H.MAXSIZE];
      if ((max <= 0 || h[H.COUNT] < max) && this.#mem.push(item, key)) {
        Atomics.add(h, H.COUNT, 1);
        Atomics.add(h, H.UNFINISHED, 1);
        ok = true;
      }
    } finally {
      this.#mutex.release();
    }
    if (ok) {
      trace("put", "Queue", this.#id);
      Atomics.add(h, H.NOT_EMPTY, 1);
      if (Atomics.load(h, H.GETTERS) > 0) wake(h, H.NOT_EMPTY, 1);
    }
    return ok;
  }

  #tryGet(): T | typeof NOTHING {
    const h = this.#mem.h;
    if (Atomics.load(h, H.COUNT) === 0) return NOTHING;
    this.#lock();
    let bytes: string | Buffer | undefined;
    try {
      if (h[H.COUNT] > 0) {
        bytes = this.#mem.pop();
        Atomics.sub(h, H.COUNT, 1);
      }
    } finally {
      this.#mutex.release();
    }
    if (bytes === undefined) return NOTHING;
    trace("get", "Queue", this.#id);
    Atomics.add(h, H.NOT_FULL, 1);
    if (Atomics.load(h, H.PUTTERS) > 0) wake(h, H.NOT_FULL, 1);
    return decodeItem(bytes) as T;
  }

  #putBlocking(
    item: EncodedItem,
    key: Uint8Array | undefined,
    deadline: number,
    timeout: number | null | undefined,
  ): void {
    const h = this.#mem.h;
    this.#startWait();
    try {
      for (;;) {
        const seq = Atomics.load(h, H.NOT_FULL);
        if (this.#tryPut(item, key)) return;
        if (spinWhile(h, H.NOT_FULL, seq)) continue;
        if (!sleepBlocking(h, H.PUTTERS, H.NOT_FULL, seq, deadline) && !this.#tryPut(item, key))
          throw fullError(this.maxsize, timeout);
      }
    } finally {
      this.#endWait();
    }
  }

  async #putAsync(
    item: EncodedItem,
    key: Uint8Array | undefined,
    deadline: number,
    timeout: number | null | undefined,
  ): Promise<void> {
    const h = this.#mem.h;
    this.#startWait();
    try {
      for (;;) {
        const seq = Atomics.load(h, H.NOT_FULL);
        if (this.#tryPut(item, key)) return;
        if (!(await sleepAsync(h, H.PUTTERS, H.NOT_FULL, seq, deadline)) && !this.#tryPut(item, key))
          throw fullError(this.maxsize, timeout);
      }
    } finally {
      this.#endWait();
    }
  }

  #getBlocking(deadline: number, timeout: number | null | undefined): T {
    const h = this.#mem.h;
    this.#startWait();
    try {
      for (;;) {
        const seq = Atomics.load(h, H.NOT_EMPTY);
        const got = this.#tryGet();
        if (got !== NOTHING) return got;
        // A producer on another core is often just behind: spin briefly before paying for a sleep and a wake-up.
        if (spinWhile(h, H.NOT_EMPTY, seq)) continue;
        if (!sleepBlocking(h, H.GETTERS, H.NOT_EMPTY, seq, deadline)) return this.#lastGet(timeout);
      }
    } finally {
      this.#endWait();
    }
  }

  async #getAsync(deadline: number, timeout: number | null | undefined): Promise<T> {
    const h = this.#mem.h;
    this.#startWait();
    try {
      for (;;) {
        const seq = Atomics.load(h, H.NOT_EMPTY);
        const got = this.#tryGet();
        if (got !== NOTHING) return got;
        if (!(await sleepAsync(h, H.GETTERS, H.NOT_EMPTY, seq, deadline))) return this.#lastGet(timeout);
      }
    } finally {
      this.#endWait();
    }
  }

  /** After a timed-out wait: an item that arrived at the last moment, else Empty. */
  #lastGet(timeout: number | null | undefined): T {
    const last = this.#tryGet();
    if (last !== NOTHING) return last;
    throw emptyError(timeout);
  }

  #startWait(): void {
    setWaiting(this.#id, WaitKind.Other);
    trace("wait", "Queue", this.#id); // hatched on a recorded timeline
  }

  #endWait(): void {
    setWaiting(0, WaitKind.None);
    trace("woke", "Queue", this.#id);
  }
}

const NOTHING: unique symbol = Symbol("nothing");

// A thread counts itself in GETTERS/PUTTERS only while it really sleeps, so the other side pays for a
// notify only then. Waking is still never missed: the sleep compares the sequence word it read before.
function sleepBlocking(h: Int32Array, counter: number, word: number, seq: number, deadline: number): boolean {
  Atomics.add(h, counter, 1);
  try {
    return waitBlocking(h, word, seq, deadline);
  } finally {
    Atomics.sub(h, counter, 1);
  }
}

async function sleepAsync(
  h: Int32Array,
  counter: number,
  word: number,
  seq: number,
  deadline: number,
): Promise<boolean> {
  Atomics.add(h, counter, 1);
  try {
    return await waitAsync(h, word, seq, deadline);
  } finally {
    Atomics.sub(h, counter, 1);
  }
}
