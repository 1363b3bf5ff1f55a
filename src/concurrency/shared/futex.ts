/**
 * Waiting on a word of shared memory, the two ways Spindle allows: blocking
 * (`Atomics.wait`, only inside a worker thread) and awaitable
 * (`Atomics.waitAsync`, on the main thread, which must never block: its event
 * loop forwards every worker's output and answers the kernel).
 */
import { isMainThread } from "node:worker_threads";
import { currentCell } from "../../runtime/cell-context";
import { checkSeconds, scaledMs } from "../time/scale";
import {
  blockAsync,
  blockSync,
  gate,
  participant,
  point,
  pointAsync,
  Prim,
  sleepAsync,
  sleepSync,
  stateChanged,
  virtualNow,
  type Op,
} from "./schedule";
// The explorer's gate held in this module: a plain load on the hot path, no lookup through the import.
const GATE = gate;

// Atomics.waitAsync exists on Node 20 but is typed only in lib es2024.
type WaitAsyncResult =
  | { async: false; value: "not-equal" | "timed-out" }
  | { async: true; value: Promise<"ok" | "timed-out"> };
const atomicsWaitAsync = (
  Atomics as unknown as {
    waitAsync(arr: Int32Array, index: number, value: number, timeout?: number): WaitAsyncResult;
  }
).waitAsync;

/** True inside a worker thread, where blocking waits are allowed. */
export const mayBlock = !isMainThread;

/**
 * Converts a user timeout in seconds (undefined, null or -1: forever) to an absolute
 * deadline on the `performance.now()` clock, scaled by SPINDLE_TIME_SCALE.
 */
export function deadlineOf(timeout: number | null | undefined, what: string): number {
  if (timeout === undefined || timeout === null || timeout === -1) return Infinity;
  return now() + scaledMs(checkSeconds(timeout, what));
}

/** The clock deadlines are on: `performance.now()`, or virtual time while a schedule is explored. */
export function now(): number {
  return GATE[0] !== 0 && participant() >= 0 ? virtualNow() : performance.now();
}

/** Milliseconds left until `deadline` (≥ 0; Infinity for none). */
export function remainingMs(deadline: number): number {
  return deadline === Infinity ? Infinity : Math.max(0, deadline - now());
}

/** Wakes up to `count` threads waiting on `arr[index]` (all by default); explored threads waiting may retry. */
export function wake(arr: Int32Array, index: number, count?: number): void {
  if (GATE[0] !== 0) stateChanged();
  Atomics.notify(arr, index, count);
}

/** Blocks (worker only) while `arr[index] === value`, until notified or `deadline`; false when time ran out. */
export function waitBlocking(arr: Int32Array, index: number, value: number, deadline: number): boolean {
  if (GATE[0] !== 0) {
    const me = participant();
    if (me >= 0) return Atomics.load(arr, index) !== value || blockSync(me, deadline, Prim.None, 0);
  }
  const ms = remainingMs(deadline);
  if (ms === 0) return Atomics.load(arr, index) !== value;
  return Atomics.wait(arr, index, value, ms) !== "timed-out";
}

/**
 * Awaits (no blocking) while `arr[index] === value`, until notified or `deadline`; resolves false when time
 * ran out. Rejects with the cell's interrupt reason if the cell is interrupted meanwhile.
 */
export async function waitAsync(arr: Int32Array, index: number, value: number, deadline: number): Promise<boolean> {
  if (GATE[0] !== 0 && participant() === 0) {
    return Atomics.load(arr, index) !== value || blockAsync(deadline, Prim.None, 0, waitAsyncOnClock);
  }
  return waitAsyncOnClock(arr, index, value, deadline);
}

async function waitAsyncOnClock(arr: Int32Array, index: number, value: number, deadline: number): Promise<boolean> {
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

// Set by `pointThen` just before it calls the operation again, so the operation skips its point once.
let passed = false;

/** While exploring: true when an operation must first pass its schedule point (through `pointThen`). */
export function mustPoint(): boolean {
  if (!passed) return true;
  passed = false;
  return false;
}

/**
 * The schedule point before an awaited operation: on the main thread it may give the token away and await
 * it; then `again()` runs the operation itself (which skips its point once, see `mustPoint`).
 */
export function pointThen<T>(op: Op, prim: Prim, obj: number, again: () => Promise<T>): Promise<T> {
  const run = (): Promise<T> => {
    passed = true;
    try {
      return again();
    } finally {
      passed = false;
    }
  };
  try {
    if (participant() === 0) return pointAsync(op, prim, obj, waitAsyncOnClock).then(run);
    point(op, prim, obj);
  } catch (err) {
    return Promise.reject(err);
  }
  return run();
}

/** A sleep of `ms` under the explorer's control (virtual time); false when this thread is not controlled. */
export function controlledSleep(ms: number): Promise<void> | undefined {
  const me = participant();
  if (me < 0) return undefined;
  try {
    if (me === 0) return sleepAsync(ms, waitAsyncOnClock);
    sleepSync(me, ms);
    return Promise.resolve();
  } catch (err) {
    return Promise.reject(err);
  }
}
