/**
 * `toThread(fn, ...args)`: run a blocking function on a worker thread and
 * await its result from a task (Python's `asyncio.to_thread`).
 *
 * The thread is reached through a small seam (`ThreadRunner`) so the
 * threading module's warm pool and code shipping can take over; until they
 * are wired in, each call starts a plain worker that runs a self-contained
 * function (one that uses only its arguments, globals and `require`).
 * Cancelling the awaiting task does not stop the thread, as in Python; an
 * interrupt of the cell does.
 */
import { Worker } from "node:worker_threads";
import * as path from "node:path";
import { SpindleError, deserializeError } from "../../errors";
import { currentCell, writeStream, type CellContext } from "../../runtime/cell-context";
import { workerResourceLimits } from "../../runtime/resources";
import { timeScale } from "../time/scale";
import { Task } from "./task";
import type { RunFunctionData, RunFunctionResult } from "./worker/messages";

/** Runs a function on some thread; the seam between `toThread` and whatever provides threads. */
export interface ThreadRunner {
  /** Calls `fn(...args)` on another thread; resolves to its result (errors keep their class). */
  run(fn: (...args: never[]) => unknown, args: unknown[], cell: CellContext | undefined): Promise<unknown>;
}

let runner: ThreadRunner | undefined;

/** Replaces the runner `toThread` uses (the threading module installs its pool here). */
export function setThreadRunner(next: ThreadRunner | undefined): void {
  runner = next;
}

/** Runs `fn(...args)` on a worker thread; the returned task resolves to its result. */
export function toThread<A extends unknown[], R>(fn: (...args: A) => R, ...args: A): Task<Awaited<R>> {
  const cell = currentCell();
  const work = (runner ?? plainWorkerRunner).run(fn as (...args: never[]) => unknown, args, cell) as Promise<Awaited<R>>;
  return new Task(work, { name: `toThread(${fn.name || "anonymous"})` });
}

/** One fresh worker per call: slow to start (~20 ms) but needs nothing else. */
export const plainWorkerRunner: ThreadRunner = {
  run(fn, args, cell) {
    if (typeof fn !== "function") {
      return Promise.reject(new SpindleError(`toThread(fn, ...args) needs a function as fn (got ${typeof fn}).`, "ERR_SPINDLE_TO_THREAD_ARG"));
    }
    const source = fn.toString();
    const cellName = /\b__cells__\d+\.([A-Za-z_$][\w$]*)/.exec(source);
    if (cellName) {
      return Promise.reject(new SpindleError(
        `toThread cannot ship '${fn.name || "this function"}' to a thread: it uses '${cellName[1]}' from another cell. ` +
          `Pass '${cellName[1]}' as an argument (toThread(fn, ${cellName[1]})) or define it inside the function.`,
        "ERR_SPINDLE_TO_THREAD_CAPTURE",
      ));
    }
    if (/\[native code\]/.test(source)) {
      return Promise.reject(new SpindleError(`toThread cannot ship a built-in or bound function ('${fn.name}'); wrap it in a plain function.`, "ERR_SPINDLE_TO_THREAD_NATIVE"));
    }
    const data: RunFunctionData = { source, args, timeScale: timeScale() };
    return new Promise<unknown>((resolve, reject) => {
      let worker: Worker;
      try {
        worker = new Worker(path.join(__dirname, "worker", "run-function.js"), { workerData: data, stdout: true, stderr: true, resourceLimits: workerResourceLimits() });
      } catch (err) {
        reject(err);
        return;
      }
      worker.stdout.on("data", (chunk: Buffer) => writeStream("stdout", chunk.toString(), cell));
      worker.stderr.on("data", (chunk: Buffer) => writeStream("stderr", chunk.toString(), cell));
      const untrack = cell?.track({ interrupt: () => { void worker.terminate(); } });
      let answered = false;
      worker.once("message", (msg: RunFunctionResult) => {
        answered = true;
        if (msg.ok) resolve(msg.value);
        else reject(deserializeError(msg.error));
      });
      worker.once("error", (err) => { answered = true; reject(err); });
      worker.once("exit", (code) => {
        untrack?.();
        if (!answered) {
          reject(new SpindleError(`The thread running '${fn.name || "the function"}' stopped (exit code ${code}) before returning a result.`, "ERR_SPINDLE_TO_THREAD_EXIT"));
        }
      });
    });
  },
};
