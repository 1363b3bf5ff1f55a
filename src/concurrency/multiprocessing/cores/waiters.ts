/**
 * Waiting lists for hub objects: each waiter belongs to a caller (so a child
 * that exits stops waiting and takes nothing), and may have a timeout.
 */
import { scaledMs } from "../../time/scale";
import type { Caller } from "../hub";

/** One parked request. */
export interface Waiter<T> {
  caller: Caller;
  resolve(value: T): void;
  reject(err: unknown): void;
  timer?: NodeJS.Timeout;
  /** Extra data (the item a putter wants to put). */
  data?: unknown;
}

/** A FIFO of waiters with per-waiter timeouts. */
export class WaitList<T> {
  readonly #list: Waiter<T>[] = [];

  /** Number of parked waiters. */
  get size(): number {
    return this.#list.length;
  }

  /**
   * Parks a request. `timeoutSec` undefined waits forever; on timeout `onTimeout`
   * decides the outcome (resolve false, reject Empty…).
   */
  park(caller: Caller, timeoutSec: number | undefined, onTimeout: (w: Waiter<T>) => void, data?: unknown): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const w: Waiter<T> = { caller, resolve, reject, data };
      if (timeoutSec !== undefined && timeoutSec !== null) {
        w.timer = setTimeout(
          () => {
            this.remove(w);
            onTimeout(w);
          },
          scaledMs(Math.max(0, timeoutSec)),
        );
      }
      this.#list.push(w);
    });
  }

  /** Takes the oldest waiter (clearing its timer), or undefined. */
  shift(): Waiter<T> | undefined {
    const w = this.#list.shift();
    if (w?.timer) clearTimeout(w.timer);
    return w;
  }

  /** The oldest waiter without taking it. */
  peek(): Waiter<T> | undefined {
    return this.#list[0];
  }

  /** Removes one waiter. */
  remove(w: Waiter<T>): void {
    const i = this.#list.indexOf(w);
    if (i >= 0) this.#list.splice(i, 1);
    if (w.timer) clearTimeout(w.timer);
  }

  /** Drops every waiter of `caller` without answering (the caller is gone). */
  dropCaller(caller: Caller): void {
    for (const w of [...this.#list]) if (w.caller === caller) this.remove(w);
  }

  /** Rejects every waiter with `err`. */
  rejectAll(err: unknown): void {
    for (const w of this.#list.splice(0)) {
      if (w.timer) clearTimeout(w.timer);
      w.reject(err);
    }
  }
}

/** Reads an optional timeout argument in seconds (null/undefined/negative → none). */
export function timeoutArg(value: unknown): number | undefined {
  return typeof value === "number" && value >= 0 ? value : undefined;
}
