/**
 * `Task`: a coroutine running concurrently with others on this thread
 * (Python's `asyncio.Task`), and `createTask` / `ensureFuture` / `currentTask`.
 *
 * A task made from a *function* (`createTask(() => work(1))`) starts on a
 * later tick inside its own cancellation scope, so `task.cancel()` reaches it
 * at its next Spindle await point. A task made from an already running
 * *promise* (`createTask(work(1))`, Python's literal form) cannot be reached:
 * cancelling it settles the task as cancelled at once and the work goes on,
 * unobserved. The function form is the one to prefer.
 */
import { currentCell, writeStream, type CellContext } from "../../runtime/cell-context";
import { inspect } from "node:util";
import { traceLife, tracing, withTraceLane } from "../shared/trace";
import { CancelledError, asError } from "./errors";
import { Future } from "./future";
import { CancelScope, currentScope, runInScope, type Runner } from "./scope";
import { taskName } from "./controlled";

/** What a task can run: an async function to call (preferred), or an awaitable already running. */
export type CoroutineLike<T> = PromiseLike<T> | (() => PromiseLike<T>);

/** Options of `createTask`. */
export interface TaskOptions {
  /** A name shown in reports and by `getName()` (default `Task-N`). */
  name?: string;
}

let counter = 0;
// The explorer names the task a wait belongs to.
taskName.current = () => currentTask()?.name ?? "MainThread";

/** A coroutine scheduled to run concurrently; await it for its result. */
export class Task<T> extends Future<T> {
  readonly #scope: CancelScope;
  readonly #cell: CellContext | undefined;
  readonly #runner: Runner | undefined;
  #name: string;
  #untrack: (() => void) | undefined;
  #abort: AbortController | undefined;
  #cancelRequests = 0;
  #started = false;
  #detached: boolean;

  /** Schedules `coro` as a task; prefer `createTask(coro, options)`. */
  constructor(coro: CoroutineLike<T>, options: TaskOptions = {}) {
    super();
    this.#name = options.name ?? `Task-${++counter}`;
    const parent = currentScope();
    this.#runner = parent?.root.runner;
    this.#scope = new CancelScope(undefined, this.#runner, this);
    this.#cell = currentCell();
    this.#runner?.tasks.add(this);
    if (this.#cell) {
      const cell = this.#cell;
      this.#untrack = cell.track({
        interrupt: () => {
          this.cancel("The task was cancelled because its cell was interrupted.");
        },
      });
      if (cell.signal.aborted) this.cancel("The task was cancelled because its cell was interrupted.");
    }
    this.#detached = typeof coro !== "function";
    if (typeof coro === "function") {
      queueMicrotask(() => this.#start(coro));
    } else {
      this.#started = true;
      Promise.resolve(coro).then(
        (v) => this.#settle(v, undefined, false),
        (e) => this.#settle(undefined, e, true),
      );
    }
  }

  /** The task's name. */
  get name(): string {
    return this.#name;
  }

  /** The task's name (Python's `get_name()`). */
  getName(): string {
    return this.#name;
  }

  /** Renames the task (Python's `set_name()`). */
  setName(name: string): void {
    this.#name = String(name);
  }

  /** Aborted when the task is cancelled: pass it to non-Spindle waits (fetch, timers/promises) so they stop too. */
  get signal(): AbortSignal {
    if (!this.#abort) {
      this.#abort = new AbortController();
      if (this.#cancelRequests > 0) this.#abort.abort(new CancelledError());
    }
    return this.#abort.signal;
  }

  /** How many cancel requests are outstanding (Python's `cancelling()`). */
  cancelling(): number {
    return this.done() ? 0 : this.#cancelRequests;
  }

  /**
   * Requests cancellation: the task's coroutine gets `CancelledError` at its
   * next Spindle await point. Returns false if the task is already done.
   */
  override cancel(message?: string): boolean {
    if (this.done()) return false;
    this.#cancelRequests++;
    const err = new CancelledError(message ?? `Task '${this.#name}' was cancelled.`);
    this.#abort?.abort(err);
    if (this.#detached) {
      // A running promise cannot be interrupted: settle as cancelled now and let the work run out unobserved.
      this.finishCancelled(err);
      this.#cleanup();
      return true;
    }
    if (!this.#started) {
      // Cancelled before its first step: the coroutine never runs (as in Python).
      this.#started = true;
      this.finishCancelled(err);
      this.#cleanup();
      return true;
    }
    this.#scope.cancel(err);
    return true;
  }

  /** A short description, e.g. `<Task pending name='Task-3'>`. */
  override toString(): string {
    const state = !this.done() ? "pending" : this.cancelled() ? "cancelled" : "done";
    return `<Task ${state} name='${this.#name}'>`;
  }

  #start(fn: () => PromiseLike<T>): void {
    if (this.#started) return;
    this.#started = true;
    let result: PromiseLike<T>;
    try {
      result = runInScope(this.#scope, () => {
        const r = tracing() ? this.#recorded(fn) : fn();
        // A Future (or other thenable) is awaited inside the scope, so it is linked to this task's cancellation.
        return r instanceof Promise ? r : (async () => await r)();
      });
    } catch (err) {
      this.#settle(undefined, err, true);
      return;
    }
    result.then(
      (v) => this.#settle(v, undefined, false),
      (e: unknown) => this.#settle(undefined, e, true),
    );
  }

  /** While a timeline is recorded, the task is its own lane (chart row), from start to end. */
  #recorded(fn: () => PromiseLike<T>): PromiseLike<T> {
    const lane = this.#name;
    return withTraceLane(lane, () => {
      traceLife("start", lane);
      let r: PromiseLike<T>;
      try {
        r = fn();
      } catch (err) {
        traceLife("end", lane);
        throw err;
      }
      // A coroutine that never awaited has already finished: end its lane now, not when the
      // promise's reaction runs (after every other task queued meanwhile has run).
      if (settledNow(r)) {
        traceLife("end", lane);
        return r;
      }
      const end = <V>(v: V): V => {
        traceLife("end", lane);
        return v;
      };
      return r.then(end, (e: unknown) => {
        end(undefined);
        throw e;
      });
    });
  }

  #settle(value: T | undefined, error: unknown, failed: boolean): void {
    if (this.done()) return; // a detached task cancelled earlier: its late outcome is dropped
    if (!failed) this.setResult(value as T);
    else if (error instanceof CancelledError) this.finishCancelled(error);
    else this.setException(error);
    this.#cleanup();
    if (failed && !(error instanceof CancelledError)) this.#reportIfUnretrieved();
  }

  #cleanup(): void {
    this.#scope.close();
    this.#runner?.tasks.delete(this);
    this.#untrack?.();
    this.#untrack = undefined;
  }

  /** Python prints "Task exception was never retrieved"; Spindle reports it once the failing turn is over. */
  #reportIfUnretrieved(): void {
    setImmediate(() => {
      if (this.retrieved) return;
      this.markRetrieved();
      const err = asError(this.rawError);
      const where = this.#cell ? this.#cell : undefined;
      writeStream(
        "stderr",
        `Task exception was never retrieved: task '${this.#name}' failed and nothing was awaiting it.\n` +
          `${err.stack ?? `${err.name}: ${err.message}`}\n` +
          `Await the task (or gather it, or call task.exception()) to handle its error.\n`,
        where,
      );
    });
  }
}

/** Starts `coro` as a concurrently running task (Python's `asyncio.create_task`). */
export function createTask<T>(coro: CoroutineLike<T>, options?: TaskOptions): Task<T> {
  return new Task(coro, options);
}

/** Returns `aw` if it is already a Future or Task, else wraps it in a Task (Python's `asyncio.ensure_future`). */
export function ensureFuture<T>(aw: CoroutineLike<T> | Future<T>): Future<T> {
  return aw instanceof Future ? aw : new Task(aw);
}

/** The task running the current code, or undefined outside any task (Python's `asyncio.current_task`). */
export function currentTask(): Task<unknown> | undefined {
  const owner = currentScope()?.root.owner;
  return owner instanceof Task ? owner : undefined;
}

/** True when `p` is a native promise that is already settled (read synchronously; used only while recording). */
function settledNow(p: PromiseLike<unknown>): boolean {
  return p instanceof Promise && !/^Promise \{\s*<pending>/.test(inspect(p, { depth: 0 }));
}
