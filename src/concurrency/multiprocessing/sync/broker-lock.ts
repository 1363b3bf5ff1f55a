/**
 * Lock / Semaphore / BoundedSemaphore served by the hub (Python's Manager().Lock()).
 * Every acquire and release is a message to the owning process: slower than
 * the FIFO Lock, but a holder that exits gives its permits back, and a
 * BoundedSemaphore can refuse an extra release.
 */
import { createBackend, backendFor, type Backend } from "../backend";
import { BrokerLockCore } from "../cores/broker-lock-core";
import { registerReviver, toHandle, type HandleData, type Shareable } from "../handles";
import { registerFactory } from "../hub";
import { waitArgs } from "./args";
import type { AcquireOptions } from "./lock";

registerFactory("BrokerLock", (args) => new BrokerLockCore(Number(args[0]), args[1] === true));

/** A lock or semaphore kept by the owning process. */
export class BrokerLock implements Shareable {
  readonly #b: Backend;

  /** Creates one with `permits` free permits; `bounded` refuses releases above that. Internal: `backend` revives a handle. */
  constructor(permits = 1, bounded = true, backend?: Backend) {
    this.#b = backend ?? createBackend("BrokerLock", [permits, bounded], () => new BrokerLockCore(permits, bounded));
  }

  /** Takes a permit; resolves false when `blocking` is false or `timeout` seconds pass first. */
  async acquire(blocking?: boolean | AcquireOptions, timeout?: number | null): Promise<boolean> {
    const opts =
      typeof blocking === "object" && blocking !== null
        ? { block: blocking.blocking, timeout: blocking.timeout }
        : blocking;
    const [b, t] = waitArgs(opts, timeout, "acquire");
    return (await this.#b.call("acquire", [b, t])) as boolean;
  }

  /** Gives a permit back; rejects for an unlocked Lock or an over-released BoundedSemaphore. */
  async release(): Promise<void> {
    await this.#b.call("release", []);
  }

  /** True while no permit is free. */
  async locked(): Promise<boolean> {
    return (await this.#b.call("locked", [])) as boolean;
  }

  /** The number of free permits now. */
  async getValue(): Promise<number> {
    return (await this.#b.call("value", [])) as number;
  }

  /** Runs `fn` holding a permit and releases it on every path. */
  async withLock<T>(fn: () => T | Promise<T>): Promise<Awaited<T>> {
    await this.acquire();
    try {
      return await fn();
    } finally {
      await this.release();
    }
  }

  [toHandle](): HandleData {
    return { kind: "BrokerLock", id: this.#b.id };
  }
}

registerReviver("BrokerLock", (d) => new BrokerLock(1, true, backendFor(d.id as string)), BrokerLock, __filename);
