/**
 * Cross-process Lock and Semaphore on FIFO tokens (see token-fifo.ts): an
 * uncontended acquire+release is two system calls, with no message to any
 * broker. Usable from the main process, child processes and pool threads.
 */
import { toHandle, registerReviver, type HandleData, type Shareable } from "../handles";
import { ProcessStateError } from "../errors";
import { newFifo } from "./fifo-files";
import { TokenFifo } from "./token-fifo";
import { waitArgs, type WaitOptions } from "./args";

let reviving: string | undefined;

/** Acquire options: `blocking` false never waits; `timeout` in seconds. */
export interface AcquireOptions {
  /** Wait at all (default true). */
  blocking?: boolean;
  /** The longest wait in seconds; omit to wait forever. */
  timeout?: number | null;
}

function acquireArgs(
  a: boolean | AcquireOptions | undefined,
  timeout: number | null | undefined,
  what: string,
): [boolean, number | null] {
  const opts: boolean | WaitOptions | undefined =
    typeof a === "object" && a !== null ? { block: a.blocking, timeout: a.timeout } : a;
  return waitArgs(opts, timeout, what);
}

/** A semaphore shared by processes: `value` permits held as bytes in a FIFO. */
export class Semaphore implements Shareable {
  readonly #fifo: TokenFifo;
  #heldHere = 0;

  /** Creates a semaphore with `value` free permits (default 1). */
  constructor(value = 1) {
    if (reviving !== undefined) {
      this.#fifo = TokenFifo.open(reviving);
      return;
    }
    if (!Number.isInteger(value) || value < 0) {
      throw new ProcessStateError(`Semaphore value must be an integer ≥ 0 (got ${value}).`, "ERR_SPINDLE_BAD_VALUE");
    }
    this.#fifo = TokenFifo.open(newFifo());
    if (value > 0) this.#fifo.give(value);
  }

  /** Rebuilds a semaphore from its FIFO path (another process's handle). */
  static fromHandle<T extends Semaphore>(this: new () => T, path: string): T {
    reviving = path;
    try {
      return new this();
    } finally {
      reviving = undefined;
    }
  }

  /** The FIFO path that identifies this semaphore in every process. */
  get path(): string {
    return this.#fifo.path;
  }

  /** Takes a permit; resolves false when `blocking` is false or `timeout` (seconds) passes first. */
  async acquire(blocking?: boolean | AcquireOptions, timeout?: number | null): Promise<boolean> {
    const [block, t] = acquireArgs(blocking, timeout, `${this.constructor.name}.acquire`);
    const got = await this.#fifo.take(block ? (t ?? undefined) : 0);
    if (got) this.#heldHere++;
    return got;
  }

  /** Gives a permit back (any process may release). */
  release(): void {
    this.checkRelease(this.#heldHere > 0);
    if (this.#heldHere > 0) this.#heldHere--;
    this.#fifo.give(1);
  }

  /** Hook for Lock: refuse a release that would add a second permit. */
  protected checkRelease(_heldHere: boolean): void {}

  /** Peeks whether a permit is free right now (takes and returns it). */
  protected permitFree(): boolean {
    if (!this.#fifo.tryTake()) return false;
    this.#fifo.give(1);
    return true;
  }

  /** Runs `fn` holding a permit and releases it on every path (Python's `with sem:`). */
  async withLock<T>(fn: () => T | Promise<T>): Promise<Awaited<T>> {
    await this.acquire();
    try {
      return await fn();
    } finally {
      this.release();
    }
  }

  [toHandle](): HandleData {
    return { kind: this instanceof Lock ? "Lock" : "Semaphore", path: this.#fifo.path };
  }
}

/** A mutual-exclusion lock shared by processes (Python's `multiprocessing.Lock`). */
export class Lock extends Semaphore {
  /** Creates an unlocked lock. */
  constructor() {
    super(1);
  }

  /** True while some process holds the lock. */
  locked(): boolean {
    return !this.permitFree();
  }

  protected override checkRelease(heldHere: boolean): void {
    if (!heldHere && this.permitFree()) {
      throw new ProcessStateError(
        "release() of an unlocked lock; release only what you acquired (use withLock to pair them).",
        "ERR_SPINDLE_RELEASE_UNLOCKED",
      );
    }
  }
}

registerReviver("Lock", (d) => Lock.fromHandle(d.path as string), Lock, __filename);
registerReviver("Semaphore", (d) => Semaphore.fromHandle(d.path as string), Semaphore, __filename);
