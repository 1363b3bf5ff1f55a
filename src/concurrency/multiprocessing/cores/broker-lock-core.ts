/**
 * A lock or semaphore kept by the hub (what Python's Manager().Lock() is): every
 * acquire is a message to the owner. Slower than the FIFO token lock, but it
 * knows its holders, so a holder that exits gives its permits back.
 */
import { ProcessStateError } from "../errors";
import type { Caller, HubObject } from "../hub";
import { WaitList, timeoutArg } from "./waiters";

/** Hub state of one broker lock (`permits` 1) or semaphore. */
export class BrokerLockCore implements HubObject {
  #free: number;
  readonly #held = new Map<Caller, number>();
  readonly #waiters = new WaitList<boolean>();

  /** `bounded`: releasing above the initial value is an error (Lock, BoundedSemaphore). */
  constructor(
    readonly initial: number,
    readonly bounded: boolean,
  ) {
    this.#free = initial;
  }

  #grant(caller: Caller): void {
    this.#free--;
    this.#held.set(caller, (this.#held.get(caller) ?? 0) + 1);
  }

  #release(caller: Caller): void {
    const n = this.#held.get(caller) ?? 0;
    if (n > 1) this.#held.set(caller, n - 1);
    else this.#held.delete(caller);
    const w = this.#waiters.shift();
    if (w) {
      this.#held.set(w.caller, (this.#held.get(w.caller) ?? 0) + 1);
      w.resolve(true);
    } else {
      this.#free++;
    }
  }

  dispatch(op: string, args: unknown[], caller: Caller): unknown {
    switch (op) {
      case "acquire": {
        if (this.#free > 0) {
          this.#grant(caller);
          return true;
        }
        if (args[0] === false) return false;
        return this.#waiters.park(caller, timeoutArg(args[1]), (w) => w.resolve(false));
      }
      case "release": {
        if (this.bounded && this.#free >= this.initial) {
          throw new ProcessStateError(
            this.initial === 1
              ? "release() of an unlocked lock; release only what you acquired (use withLock to pair them)."
              : "BoundedSemaphore released more times than it was acquired.",
            "ERR_SPINDLE_RELEASE_UNLOCKED",
          );
        }
        this.#release(caller);
        return undefined;
      }
      case "locked":
        return this.#free === 0;
      case "value":
        return this.#free;
      default:
        throw new ProcessStateError(`Lock has no operation "${op}".`, "ERR_SPINDLE_UNKNOWN_OP");
    }
  }

  dropCaller(caller: Caller): void {
    this.#waiters.dropCaller(caller);
    const n = this.#held.get(caller) ?? 0;
    for (let i = 0; i < n; i++) this.#release(caller);
    this.#held.delete(caller);
  }
}
