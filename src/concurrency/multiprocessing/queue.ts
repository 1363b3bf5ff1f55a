/**
 * Queues between processes (Python's `multiprocessing.Queue`, `SimpleQueue`,
 * `JoinableQueue`). The items live with the parent that created the queue;
 * every process sees the same queue. Items are copies, as after pickling.
 * Calls that may wait return Promises; timeouts are in seconds.
 */
import { createBackend, backendFor, type Backend } from "./backend";
import { QueueCore } from "./cores/queue-core";
import { Empty, ProcessStateError } from "./errors";
import { decode, encode, registerReviver, toHandle, type HandleData, type Shareable } from "./handles";
import { registerFactory } from "./hub";
import { waitArgs, type WaitOptions } from "./sync/args";

registerFactory("Queue", (args) => new QueueCore(Number(args[0]) || 0));

let revivingId: string | undefined;
let revivingMax = 0;

/** A FIFO queue shared by processes. */
export class Queue<T = unknown> implements Shareable {
  readonly #b: Backend;
  readonly #maxsize: number;
  #closed = false;
  /** In a child: items leased ahead of get() calls (see QueueCore getBatch) from #bufHead on, and how many to ask for. */
  #buf: unknown[] = [];
  #bufHead = 0;
  #want = 1;
  #lastGetEnd = -Infinity;
  #returnTimer: NodeJS.Timeout | undefined;

  /** Creates a queue; `maxsize` ≤ 0 (default) means unbounded. */
  constructor(maxsize = 0) {
    if (revivingId !== undefined) {
      this.#b = backendFor(revivingId);
      this.#maxsize = revivingMax;
      return;
    }
    this.#maxsize = maxsize > 0 ? Math.floor(maxsize) : 0;
    this.#b = createBackend("Queue", [this.#maxsize], () => new QueueCore(this.#maxsize));
  }

  /** Rebuilds a queue proxy from a handle (another process's queue). */
  static fromHandle<Q extends Queue>(this: new () => Q, id: string, maxsize: number): Q {
    revivingId = id;
    revivingMax = maxsize;
    try {
      return new this();
    } finally {
      revivingId = undefined;
    }
  }

  /** The queue's capacity (0 = unbounded). */
  get maxsize(): number {
    return this.#maxsize;
  }

  #checkOpen(what: string): void {
    if (this.#closed)
      throw new ProcessStateError(
        `${what} on a closed queue; close() means this process puts nothing more.`,
        "ERR_SPINDLE_QUEUE_CLOSED",
      );
  }

  /** Adds `item`; waits for room when bounded (rejects with `Full` after `timeout` seconds or at once when `block` is false). */
  put(item: T, block?: boolean | WaitOptions, timeout?: number | null): Promise<void> {
    // Not an async function: a loop of puts on an unbounded queue in a child allocates no promise per put.
    let b = true;
    let t: number | null = null;
    let value: unknown;
    try {
      this.#checkOpen("put()");
      if (block !== undefined || timeout !== undefined) [b, t] = waitArgs(block, timeout, "Queue.put");
      value = encode(item, "the queued item");
      if (this.#maxsize === 0 && !this.#b.local) {
        // An unbounded queue never makes put() wait: a loop of puts travels as one message.
        this.#b.cast("putMany", [value], joinItems);
        return RESOLVED;
      }
    } catch (err) {
      return Promise.reject(err);
    }
    return this.#b.call("put", [this.#b.local ? structuredCloneIfObject(value) : value, b, t]).then(() => undefined);
  }

  /** `put(item, false)`: rejects with `Full` instead of waiting. */
  putNowait(item: T): Promise<void> {
    return this.put(item, false);
  }

  /** Removes and returns the oldest item; waits for one (rejects with `Empty` after `timeout` seconds, or at once when `block` is false). */
  get(block?: boolean | WaitOptions, timeout?: number | null): Promise<T> {
    // Not an async function: a get served from this process's lease allocates no promise of its own.
    let b = true;
    let t: number | null = null;
    try {
      if (block !== undefined || timeout !== undefined) [b, t] = waitArgs(block, timeout, "Queue.get");
    } catch (err) {
      return Promise.reject(err);
    }
    if (this.#b.local) return this.#b.call("get", [b, t]).then((v) => decode(v) as T);
    // A consumer that comes back for the next item at once is fast: lease it more items per trip; a slow
    // one (≥ 1 ms between gets) takes single items, so it never sits on work another consumer could do.
    const now = performance.now();
    this.#want = now - this.#lastGetEnd < 1 ? Math.min(this.#want * 2, 256) : 1;
    if (this.#bufHead < this.#buf.length) {
      // Acknowledged in order with anything this process sends next; a run of acks travels as one.
      this.#b.cast("ack", [1], addCounts);
      const item = this.#buf[this.#bufHead];
      this.#buf[this.#bufHead++] = undefined;
      this.#lastGetEnd = now;
      if (this.#bufHead === this.#buf.length) this.#dropLease();
      try {
        return Promise.resolve(decode(item) as T);
      } catch (err) {
        return Promise.reject(err);
      }
    }
    return this.#b.call("getBatch", [this.#want, b, t]).then((got) => {
      const items = got as unknown[];
      this.#lastGetEnd = performance.now();
      if (items.length > 1) {
        this.#buf = items;
        this.#bufHead = 1;
        this.#armReturn();
      }
      return decode(items[0]) as T;
    });
  }

  #dropLease(): void {
    this.#buf = [];
    this.#bufHead = 0;
    clearTimeout(this.#returnTimer);
    this.#returnTimer = undefined;
  }

  /** Leased items unused for 5 ms go back to the queue, so other consumers never wait on an idle one. */
  #armReturn(): void {
    if (this.#returnTimer) return;
    const check = (): void => {
      this.#returnTimer = undefined;
      if (this.#bufHead === this.#buf.length) return;
      // One timer per lease, not per get: while the consumer keeps taking items, look again later.
      const idle = performance.now() - this.#lastGetEnd;
      if (idle < 5) {
        this.#returnTimer = setTimeout(check, 5 - idle);
        this.#returnTimer.unref();
        return;
      }
      this.#dropLease();
      this.#want = 1;
      this.#b.cast("unlease", [0]);
    };
    this.#returnTimer = setTimeout(check, 5);
    this.#returnTimer.unref();
  }

  /** `get(false)`: rejects with `Empty` instead of waiting. */
  getNowait(): Promise<T> {
    return this.get(false);
  }

  /** The number of items now (approximate while other processes work, as in Python). */
  async qsize(): Promise<number> {
    return (await this.#b.call("qsize", [])) as number;
  }

  /** True when no item is queued now. */
  async empty(): Promise<boolean> {
    return (await this.#b.call("empty", [])) as boolean;
  }

  /** True when a bounded queue has no room now. */
  async full(): Promise<boolean> {
    return (await this.#b.call("full", [])) as boolean;
  }

  /** This process will put nothing more (later put() fails); others may still get. */
  close(): void {
    this.#closed = true;
  }

  /** Python waits for the feeder thread here; Spindle has none, so this resolves at once. */
  async joinThread(): Promise<void> {}

  /** Python's escape hatch for the feeder thread; a no-op here. */
  cancelJoinThread(): void {}

  /** Subclasses call this to reach the shared object. */
  protected backend(): Backend {
    return this.#b;
  }

  [toHandle](): HandleData {
    return {
      kind: this instanceof JoinableQueue ? "JoinableQueue" : this instanceof SimpleQueue ? "SimpleQueue" : "Queue",
      id: this.#b.id,
      maxsize: this.#maxsize,
    };
  }
}

/** An unbounded queue with only put/get/empty/close (Python's `SimpleQueue`). */
export class SimpleQueue<T = unknown> extends Queue<T> {
  /** Creates an unbounded simple queue. */
  constructor() {
    super(0);
  }
}

/** A Queue that counts unfinished items: `taskDone()` per item, `join()` waits for zero. */
export class JoinableQueue<T = unknown> extends Queue<T> {
  /** Marks one earlier-gotten item as processed. */
  async taskDone(): Promise<void> {
    await this.backend().call("taskDone", []);
  }

  /** Resolves when every item ever put has been marked done with taskDone(). */
  async join(): Promise<void> {
    await this.backend().call("join", []);
  }
}

const RESOLVED: Promise<void> = Promise.resolve();

/** Joins a put into the previous unsent putMany, whose arguments are the items (the outbox bounds their number). */
function joinItems(earlier: unknown[], args: unknown[]): boolean {
  earlier.push(args[0]);
  return true;
}

/** Joins an ack into the previous unsent ack. */
function addCounts(earlier: unknown[], args: unknown[]): boolean {
  earlier[0] = (earlier[0] as number) + (args[0] as number);
  return true;
}

function structuredCloneIfObject(value: unknown): unknown {
  return value !== null && typeof value === "object" ? structuredClone(value) : value;
}

registerReviver("Queue", (d) => Queue.fromHandle(d.id as string, d.maxsize as number), Queue, __filename);
registerReviver("SimpleQueue", (d) => SimpleQueue.fromHandle(d.id as string, 0), SimpleQueue, __filename);
registerReviver(
  "JoinableQueue",
  (d) => JoinableQueue.fromHandle(d.id as string, d.maxsize as number),
  JoinableQueue,
  __filename,
);

export { Empty };
