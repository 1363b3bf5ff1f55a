/**
 * The state of a cross-process Queue / SimpleQueue / JoinableQueue, kept by
 * the hub. Items are stored encoded (as they crossed), so each reader gets its
 * own copy, as with Python's pickled queue items.
 */
import { Empty, Full, ProcessStateError } from "../errors";
import type { Caller, HubObject } from "../hub";
import { WaitList, timeoutArg } from "./waiters";

/** Hub state of one queue. */
export class QueueCore implements HubObject {
  #items: unknown[] = [];
  #head = 0;
  #unfinished = 0;
  readonly #getters = new WaitList<unknown>();
  readonly #putters = new WaitList<void>();
  readonly #joiners = new WaitList<void>();
  /** Items handed to a child ahead of its get() calls and not yet reported consumed, per caller. */
  readonly #leases = new Map<Caller, unknown[]>();
  #leased = 0;

  /** `maxsize` ≤ 0 means unbounded, as in Python. */
  constructor(readonly maxsize: number) {}

  get #size(): number {
    return this.#items.length - this.#head;
  }

  /** Puts leased items back at the front, oldest first, and serves parked getters. */
  #requeue(items: unknown[]): void {
    if (items.length === 0) return;
    this.#leased -= items.length;
    this.#unfinished -= items.length; // #add counts them again
    const rest = this.#items.slice(this.#head);
    this.#items = [];
    this.#head = 0;
    for (const it of items) this.#add(it);
    this.#items.push(...rest);
  }

  #full(): boolean {
    return this.maxsize > 0 && this.#size >= this.maxsize;
  }

  #take(): unknown {
    const item = this.#items[this.#head];
    this.#items[this.#head++] = undefined;
    if (this.#head > 1024 && this.#head * 2 > this.#items.length) {
      this.#items = this.#items.slice(this.#head);
      this.#head = 0;
    }
    return item;
  }

  /** Adds an item, handing it straight to a parked getter when there is one. */
  #add(item: unknown): void {
    this.#unfinished++;
    const g = this.#getters.shift();
    if (g) g.resolve(item);
    else this.#items.push(item);
  }

  /** After a take: let a parked putter in. */
  #admitPutter(): void {
    while (!this.#full()) {
      const p = this.#putters.shift();
      if (!p) return;
      this.#add(p.data);
      p.resolve();
    }
  }

  /** Adds up to `max` − 1 queued items to `out` as a lease of `caller`, if nobody else waits. */
  #leaseMore(out: unknown[], max: number, caller: Caller): unknown[] {
    const n = this.#getters.size === 0 ? Math.min((Number(max) || 1) - 1, this.#size) : 0;
    if (n > 0) {
      const lease = this.#leases.get(caller) ?? [];
      for (let i = 0; i < n; i++) {
        const item = this.#take();
        out.push(item);
        lease.push(item);
      }
      this.#leases.set(caller, lease);
      this.#leased += n;
    }
    this.#admitPutter();
    return out;
  }

  dispatch(op: string, args: unknown[], caller: Caller): unknown {
    switch (op) {
      case "put": {
        const [item, block, timeout] = args;
        if (!this.#full()) return this.#add(item);
        if (block === false)
          throw new Full(
            "Queue.put found the queue full (maxsize " +
              this.maxsize +
              ") and was told not to wait; use put() with a timeout or catch Full.",
          );
        const t = timeoutArg(timeout);
        return this.#putters.park(
          caller,
          t,
          (w) =>
            w.reject(
              new Full(
                `Queue.put waited ${t} s and the queue stayed full (maxsize ${this.maxsize}); raise the timeout or maxsize, or catch Full.`,
              ),
            ),
          item,
        );
      }
      case "putMany": {
        // A child's run of puts on an unbounded queue (never full, so none waits); the items are the arguments.
        for (const item of args) this.#add(item);
        return undefined;
      }
      case "get": {
        const [block, timeout] = args;
        if (this.#size > 0) {
          const item = this.#take();
          this.#admitPutter();
          return item;
        }
        if (block === false)
          throw new Empty(
            "Queue.get found the queue empty and was told not to wait; use get() with a timeout, or getNowait() inside try/catch.",
          );
        const t = timeoutArg(timeout);
        const p = this.#getters.park(caller, t, (w) =>
          w.reject(new Empty(`Queue.get waited ${t} s and the queue stayed empty; raise the timeout, or catch Empty.`)),
        );
        return p.then((item) => {
          this.#admitPutter();
          return item;
        });
      }
      case "getBatch": {
        // A child's get() that may take up to `max` items: the first is its answer, the rest a lease it
        // serves later get() calls from. Only when nobody else waits, so no consumer is starved.
        const [max, block, timeout] = args as [number, boolean, number | null];
        if (this.#size === 0) {
          const one = this.dispatch("get", [block, timeout], caller);
          // The item that woke a parked getter usually came with more (a run of puts): lease those too.
          return one instanceof Promise ? one.then((item) => this.#leaseMore([item], max, caller)) : [one];
        }
        return this.#leaseMore([this.#take()], max, caller);
      }
      case "ack": {
        // The child consumed `n` leased items.
        const lease = this.#leases.get(caller);
        const n = Math.min(Number(args[0]) || 0, lease?.length ?? 0);
        if (lease && n > 0) {
          lease.splice(0, n);
          this.#leased -= n;
        }
        return undefined;
      }
      case "unlease": {
        // The child gives back leased items it did not use (after `consumed` more were used).
        this.dispatch("ack", [args[0]], caller);
        const lease = this.#leases.get(caller) ?? [];
        this.#leases.delete(caller);
        this.#requeue(lease);
        return undefined;
      }
      case "qsize":
        return this.#size + this.#leased;
      case "empty":
        return this.#size + this.#leased === 0;
      case "full":
        return this.#full();
      case "taskDone":
        if (this.#unfinished <= 0) {
          throw new ProcessStateError(
            "JoinableQueue.taskDone() was called more times than there were items put (Python raises ValueError here); call it once per item you got.",
            "ERR_SPINDLE_TASK_DONE_TOO_MANY",
          );
        }
        if (--this.#unfinished === 0) while (this.#joiners.size > 0) this.#joiners.shift()?.resolve();
        return undefined;
      case "join":
        if (this.#unfinished === 0) return undefined;
        return this.#joiners.park(caller, undefined, () => undefined);
      default:
        throw new ProcessStateError(`Queue has no operation "${op}".`, "ERR_SPINDLE_UNKNOWN_OP");
    }
  }

  dropCaller(caller: Caller): void {
    const lease = this.#leases.get(caller);
    if (lease) {
      this.#leases.delete(caller);
      this.#requeue(lease);
    }
    this.#getters.dropCaller(caller);
    this.#putters.dropCaller(caller);
    this.#joiners.dropCaller(caller);
  }

  dispose(): void {
    const gone = new ProcessStateError(
      "The queue was shut down with its Manager; create the queue outside the Manager's scope to keep using it.",
      "ERR_SPINDLE_OBJECT_GONE",
    );
    this.#getters.rejectAll(gone);
    this.#putters.rejectAll(gone);
    this.#joiners.rejectAll(gone);
  }
}
