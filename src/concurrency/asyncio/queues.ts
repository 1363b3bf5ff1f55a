/**
 * Queues between tasks on one thread (Python's `asyncio.Queue`, `LifoQueue`,
 * `PriorityQueue`). `put`/`get` wait (cancellably) when full/empty; the
 * `Nowait` forms throw `QueueFull`/`QueueEmpty`. For threads use `spindle/queue`.
 */
import { QueueEmpty, QueueFull, ValueError } from "./errors";
import { first, primitiveName } from "./locks";
import { settledWait, suspend, type Suspension, waitInQueue } from "./scope";

/** A first-in, first-out queue for tasks; `maxsize` ≤ 0 means unbounded. */
export class Queue<T = unknown> {
  readonly #label = { kind: "wait" as const, what: primitiveName("Queue") };
  readonly #maxsize: number;
  readonly #getters = new Set<Suspension<T>>();
  // A waiting putter keeps its item in `data` until there is room.
  readonly #putters = new Set<Suspension<void>>();
  readonly #joiners = new Set<Suspension<void>>();
  #unfinished = 0;

  /** Creates a queue holding at most `maxsize` items (0, the default: no limit). */
  constructor(maxsize = 0) {
    if (typeof maxsize !== "number" || Number.isNaN(maxsize)) {
      throw new ValueError(
        `Queue maxsize must be a number (got ${String(maxsize)}); use 0 for an unbounded queue.`,
        "ERR_SPINDLE_QUEUE_MAXSIZE",
      );
    }
    this.#maxsize = maxsize;
  }

  /** The size limit (≤ 0: none). */
  get maxsize(): number {
    return this.#maxsize;
  }

  /** Number of items in the queue now. */
  qsize(): number {
    return this.size();
  }

  /** True when the queue holds no item. */
  empty(): boolean {
    return this.size() === 0;
  }

  /** True when the queue holds `maxsize` items (never for an unbounded queue). */
  full(): boolean {
    return this.#maxsize > 0 && this.size() >= this.#maxsize;
  }

  /** Puts `item`, waiting while the queue is full. */
  put(item: T): Promise<void> {
    if (!this.full() && this.#putters.size === 0) {
      this.putNowait(item);
      return settledWait(undefined, this.#label.what);
    }
    return suspend<void>(
      (s) => {
        s.data = item;
        s.queue = this.#putters;
        this.#putters.add(s);
      },
      undefined,
      this.#label,
    );
  }

  /** Puts `item` now; throws `QueueFull` if there is no room. */
  putNowait(item: T): void {
    if (this.full()) throw new QueueFull();
    this.#unfinished++;
    const getter = first(this.#getters);
    if (getter) {
      // A waiting getter means the queue is empty: hand the item over directly.
      this.#getters.delete(getter);
      getter.resolve(item);
    } else {
      this.push(item);
    }
  }

  /** Removes and returns an item, waiting while the queue is empty. */
  get(): Promise<T> {
    if (!this.empty()) return settledWait(this.getNowait(), this.#label.what);
    return waitInQueue<T>(this.#getters, this.#label);
  }

  /** Removes and returns an item now; throws `QueueEmpty` if there is none. */
  getNowait(): T {
    if (this.empty()) throw new QueueEmpty();
    const item = this.pop();
    const putter = first(this.#putters);
    if (putter) {
      // Room was made: the longest-waiting putter's item goes in now.
      this.#putters.delete(putter);
      this.#unfinished++;
      this.push(putter.data as T);
      putter.resolve();
    }
    return item;
  }

  /** Marks one item taken with `get` as processed (for `join`); throws `ValueError` if called too often. */
  taskDone(): void {
    if (this.#unfinished <= 0) {
      throw new ValueError(
        "taskDone() called more times than there were items put in the queue.",
        "ERR_SPINDLE_QUEUE_TASK_DONE",
      );
    }
    this.#unfinished--;
    if (this.#unfinished === 0) {
      const joiners = [...this.#joiners];
      this.#joiners.clear();
      for (const j of joiners) j.resolve();
    }
  }

  /** Waits until every item put has been marked with `taskDone()`. */
  join(): Promise<void> {
    if (this.#unfinished === 0) return Promise.resolve();
    return waitInQueue<void>(this.#joiners, this.#label);
  }

  // Storage, overridden by LifoQueue and PriorityQueue. A FIFO ring over an array with a moving head.
  #items: T[] = [];
  #head = 0;

  /** Number of stored items (storage hook). */
  protected size(): number {
    return this.#items.length - this.#head;
  }

  /** Stores one item (storage hook). */
  protected push(item: T): void {
    this.#items.push(item);
  }

  /** Removes the next item (storage hook); only called when not empty. */
  protected pop(): T {
    const item = this.#items[this.#head];
    this.#items[this.#head++] = undefined as T;
    if (this.#head > 1024 && this.#head * 2 > this.#items.length) {
      this.#items = this.#items.slice(this.#head);
      this.#head = 0;
    }
    return item as T;
  }
}

/** A last-in, first-out queue (a stack) for tasks. */
export class LifoQueue<T = unknown> extends Queue<T> {
  #stack: T[] = [];

  protected override size(): number {
    return this.#stack.length;
  }

  protected override push(item: T): void {
    this.#stack.push(item);
  }

  protected override pop(): T {
    return this.#stack.pop() as T;
  }
}

/** Options of `PriorityQueue`. */
export interface PriorityQueueOptions<T> {
  /** Size limit (0: none). */
  maxsize?: number;
  /** Orders items: negative when `a` comes first. Default: numbers, strings, and arrays of them compared element by element. */
  compare?: (a: T, b: T) => number;
}

/** A queue that returns the smallest item first, e.g. `[priority, data]` pairs; equal items leave in FIFO order. */
export class PriorityQueue<T = unknown> extends Queue<T> {
  readonly #heap: Array<{ item: T; seq: number }> = [];
  readonly #compare: (a: T, b: T) => number;
  #seq = 0;

  /** Creates a priority queue (`maxsize` as a number, or options with `maxsize` and `compare`). */
  constructor(options: number | PriorityQueueOptions<T> = {}) {
    const opts = typeof options === "number" ? { maxsize: options } : options;
    super(opts.maxsize ?? 0);
    this.#compare = opts.compare ?? (defaultCompare as (a: T, b: T) => number);
  }

  protected override size(): number {
    return this.#heap.length;
  }

  protected override push(item: T): void {
    const heap = this.#heap;
    heap.push({ item, seq: this.#seq++ });
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (this.#less(heap[parent]!, heap[i]!)) break;
      [heap[parent], heap[i]] = [heap[i]!, heap[parent]!];
      i = parent;
    }
  }

  protected override pop(): T {
    const heap = this.#heap;
    const top = heap[0];
    const last = heap.pop() as { item: T; seq: number };
    if (heap.length > 0) {
      heap[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < heap.length && this.#less(heap[l]!, heap[m]!)) m = l;
        if (r < heap.length && this.#less(heap[r]!, heap[m]!)) m = r;
        if (m === i) break;
        [heap[m], heap[i]] = [heap[i]!, heap[m]!];
        i = m;
      }
    }
    return (top as { item: T }).item;
  }

  #less(a: { item: T; seq: number }, b: { item: T; seq: number }): boolean {
    const c = this.#compare(a.item, b.item);
    return c < 0 || (c === 0 && a.seq < b.seq);
  }
}

/** Python-like ordering: numbers, bigints and strings by `<`, arrays element by element; anything else ties. */
function defaultCompare(a: unknown, b: unknown): number {
  if (Array.isArray(a) && Array.isArray(b)) {
    const n = Math.min(a.length, b.length);
    for (let i = 0; i < n; i++) {
      const c = defaultCompare(a[i], b[i]);
      if (c !== 0) return c;
    }
    return a.length - b.length;
  }
  const ta = typeof a;
  if ((ta === "number" || ta === "string" || ta === "bigint") && ta === typeof b) {
    return (a as number) < (b as number) ? -1 : (a as number) > (b as number) ? 1 : 0;
  }
  return 0;
}
