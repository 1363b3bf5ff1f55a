/**
 * Waiting on a word of shared memory, the two ways Spindle allows: blocking
 * (`Atomics.wait`, only inside a worker thread) and awaitable
 * (`Atomics.waitAsync`, on the main thread, which must never block: its event
 * loop forwards every worker's output and answers the kernel).
 */
import { isMainThread } from "node:worker_threads";
import { currentCell } from "../../runtime/cell-context";
import { checkSeconds, scaledMs } from "../time/scale";

// Atomics.waitAsync exists on Node 20 but is typed only in lib es2024.
type WaitAsyncResult = { async: false; value: "not-equal" | "timed-out" } | { async: true; value: Promise<"ok" | "timed-out"> };
const atomicsWaitAsync = (Atomics as unknown as {
  waitAsync(arr: Int32Array, index: number, value: number, timeout?: number): WaitAsyncResult;
}).waitAsync;

/** True inside a worker thread, where blocking waits are allowed. */
export const mayBlock = !isMainThread;

/**
 * Converts a user timeout in seconds (undefined, null or -1: forever) to an absolute
 * deadline on the `performance.now()` clock, scaled by SPINDLE_TIME_SCALE.
 */
export function deadlineOf(timeout: number | null | undefined, what: string): number {
  if (timeout === undefined || timeout === null || timeout === -1) return Infinity;
  return performance.now() + scaledMs(checkSeconds(timeout, what));
}

/** Milliseconds left until `deadline` (≥ 0; Infinity for none). */
export function remainingMs(deadline: number): number {
  return deadline === Infinity ? Infinity : Math.max(0, deadline - performance.now());
}

/** Blocks (worker only) while `arr[index] === value`, until notified or `deadline`; false when time ran out. */
export function waitBlocking(arr: Int32Array, index: number, value: number, deadline: number): boolean {
  const ms = remainingMs(deadline);
  if (ms === 0) return Atomics.load(arr, index) !== value;
  return Atomics.wait(arr, index, value, ms) !== "timed-out";
}

/**
 * Awaits (no blocking) while `arr[index] === value`, until notified or `deadline`; resolves false when time
 * ran out. Rejects with the cell's interrupt reason if the cell is interrupted meanwhile.
 */
export async function waitAsync(arr: Int32Array, index: number, value: number, deadline: number): Promise<boolean> {
  const ms = remainingMs(deadline);
  if (ms === 0) return Atomics.load(arr, index) !== value;
  const result = atomicsWaitAsync(arr, index, value, ms === Infinity ? undefined : ms);
  if (!result.async) return result.value !== "timed-out";
  // Atomics.waitAsync does not keep Node's event loop alive: without this timer a plain script whose
  // other threads are daemons (unref'd workers) would exit in the middle of the wait. It lasts until the
  // wait settles: a timed-out wait may resolve well after its timeout on a loaded machine.
  const keepAlive = setTimeout(() => undefined, 2 ** 31 - 1);
  try {
    return await settle(arr, index, result.value);
  } finally {
    clearTimeout(keepAlive);
  }
}

async function settle(arr: Int32Array, index: number, pending: Promise<"ok" | "timed-out">): Promise<boolean> {
  const signal = currentCell()?.signal;
  if (!signal) return (await pending) !== "timed-out";
  if (signal.aborted) {
    Atomics.notify(arr, index);
    throw signal.reason;
  }
  return new Promise<boolean>((resolve, reject) => {
    const onAbort = () => {
      // The abandoned waiter would swallow a future single wake-up meant for a live one: wake everyone
      // waiting on the word now; live waiters re-check their condition and wait again.
      Atomics.notify(arr, index);
      reject(signal.reason);
    };
    signal.addEventListener("abort", onAbort, { once: true });
    pending.then((r) => {
      signal.removeEventListener("abort", onAbort);
      resolve(r !== "timed-out");
    }, reject);
  });
}
