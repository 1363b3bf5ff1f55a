/**
 * `Manager` (Python's `multiprocessing.Manager()`): makes shared lists, dicts,
 * values, locks, events and queues that any process can use through proxies.
 * Python runs a server process for them; Spindle's owning process (the
 * executor in a kernel) is the server already. Leaving the scope (`await using`,
 * `Manager.with`, or `shutdown()`) destroys the objects: later use of a proxy
 * rejects with ERR_SPINDLE_OBJECT_GONE, as Python's proxies fail after the
 * manager's `with` block.
 */
import type { Backend } from "./backend";
import { Event } from "./event";
import { ProcessStateError } from "./errors";
import { removeObject } from "./hub";
import { hubLink } from "./link";
import { JoinableQueue, Queue } from "./queue";
import { DictProxy, ListProxy, SharedArray, Value } from "./shared-data";
import { BrokerLock } from "./sync/broker-lock";

/** Objects that expose their backend id through their handle. */
interface WithHandleId {
  [key: symbol]: unknown;
}

/** A scope owning shared objects. */
export class Manager {
  readonly #ids: string[] = [];
  #shut = false;

  /** Runs `fn` with a fresh manager and shuts it down afterwards, on every path. */
  static async with<T>(fn: (mgr: Manager) => T | Promise<T>): Promise<Awaited<T>> {
    const mgr = new Manager();
    try {
      return await fn(mgr);
    } finally {
      mgr.shutdown();
    }
  }

  /** Python's `start()`: the server is the owning process, so there is nothing to start. */
  start(): this {
    return this;
  }

  #own<T extends object>(obj: T): T {
    if (this.#shut)
      throw new ProcessStateError(
        "This Manager was shut down; create a new Manager().",
        "ERR_SPINDLE_MANAGER_SHUT_DOWN",
      );
    const handle = (obj as unknown as WithHandleId)[Symbol.for("spindle.multiprocessing.toHandle")] as
      | (() => { id?: unknown })
      | undefined;
    const id = handle?.call(obj).id;
    if (typeof id === "string") this.#ids.push(id);
    return obj;
  }

  /** A shared list, optionally filled with `items`. */
  list<T = unknown>(items: Iterable<T> = []): ListProxy<T> {
    return this.#own(new ListProxy<T>(items));
  }

  /** A shared dict, optionally filled from entries or a plain object. */
  dict<K = string, V = unknown>(entries: Iterable<[K, V]> | Record<string, V> = []): DictProxy<K, V> {
    return this.#own(new DictProxy<K, V>(entries));
  }

  /** A shared value (no lock, as Python's manager Value). */
  Value<T = number>(typecode: string, value: T): Value<T> {
    return this.#own(new Value<T>(typecode, value, { lock: false }));
  }

  /** A shared array. */
  Array<T = number>(typecode: string, sizeOrItems: number | Iterable<T>): SharedArray<T> {
    return this.#own(new SharedArray<T>(typecode, sizeOrItems));
  }

  /** A lock served by the owning process (its holder's exit releases it). */
  Lock(): BrokerLock {
    return this.#own(new BrokerLock(1, true));
  }

  /** A semaphore served by the owning process. */
  Semaphore(value = 1): BrokerLock {
    return this.#own(new BrokerLock(value, false));
  }

  /** A bounded semaphore served by the owning process. */
  BoundedSemaphore(value = 1): BrokerLock {
    return this.#own(new BrokerLock(value, true));
  }

  /** A shared event. */
  Event(): Event {
    return this.#own(new Event());
  }

  /** A shared queue. */
  Queue<T = unknown>(maxsize = 0): Queue<T> {
    return this.#own(new Queue<T>(maxsize));
  }

  /** A shared joinable queue. */
  JoinableQueue<T = unknown>(maxsize = 0): JoinableQueue<T> {
    return this.#own(new JoinableQueue<T>(maxsize));
  }

  /** Destroys every object this manager made (pending waits reject). */
  shutdown(): void {
    if (this.#shut) return;
    this.#shut = true;
    if (hubLink()) return; // Objects live in the parent; they go when it ends.
    for (const id of this.#ids.splice(0)) removeObject(id);
  }

  /** `await using mgr = new Manager()` shuts it down at the end of the scope. */
  async [Symbol.asyncDispose](): Promise<void> {
    this.shutdown();
  }
}

export type { Backend };
