/**
 * `toThread(fn, ...args)`: run a blocking function on a worker thread and
 * await its result from a task (Python's `asyncio.to_thread`).
 *
 * The call runs as a `spindle/threading` Thread, so it starts on a warm
 * pooled worker and ships `fn` by the threading rules (names from earlier
 * cells, imports, Spindle primitives by reference). Cancelling the awaiting
 * task does not stop the thread, as in Python; interrupting the cell does.
 * `setThreadRunner` is the seam to run the call some other way.
 */
import { SpindleError, deserializeError } from "../../errors";
import { Task } from "./task";

/** Runs a function on some thread; the seam between `toThread` and whatever provides threads. */
export interface ThreadRunner {
  /** Calls `fn(...args)` on another thread; resolves to its result (errors keep their class). */
  run(fn: (...args: never[]) => unknown, args: unknown[], name: string): Promise<unknown>;
}

/** Runs each call as a non-daemon `Thread` of the threading module's warm pool. */
export const poolRunner: ThreadRunner = {
  async run(fn, args, name) {
    // Loaded on first use: importing spindle/asyncio should not load the threading machinery.
    const { ThreadCall } = await import("./thread-call");
    const call = new ThreadCall(fn, args, name);
    call.start(); // throws at once if fn cannot travel, naming what and how to fix it
    await call.join();
    const outcome = call.outcome;
    if (!outcome) {
      throw new SpindleError(
        `The thread running ${name} stopped before it returned (interrupted, or the kernel shut down).`,
        "ERR_SPINDLE_TO_THREAD_STOPPED",
      );
    }
    if (!outcome.ok) throw deserializeError(outcome.error);
    return outcome.value;
  },
};

let runner: ThreadRunner = poolRunner;
let calls = 0;

/** Replaces the runner `toThread` uses (undefined restores the thread pool). */
export function setThreadRunner(next: ThreadRunner | undefined): void {
  runner = next ?? poolRunner;
}

/** Runs `fn(...args)` on a worker thread; the returned task resolves to its result. */
export function toThread<A extends unknown[], R>(fn: (...args: A) => R, ...args: A): Task<Awaited<R>> {
  const name = `toThread-${++calls} (${fn?.name || "anonymous"})`;
  if (typeof fn !== "function") {
    return new Task(
      Promise.reject(
        new SpindleError(
          `toThread(fn, ...args) needs a function as fn (got ${typeof fn}).`,
          "ERR_SPINDLE_TO_THREAD_ARG",
        ),
      ),
      { name },
    );
  }
  const work = runner.run(fn as (...args: never[]) => unknown, args, name) as Promise<Awaited<R>>;
  return new Task(work, { name });
}
