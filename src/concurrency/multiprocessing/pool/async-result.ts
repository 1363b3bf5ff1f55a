/**
 * `AsyncResult` (Python's `multiprocessing.pool.AsyncResult`): the future
 * result of `applyAsync` / `mapAsync`. It never rejects on its own, so an
 * ignored failed task is not an unhandled rejection; `get()` reports it.
 */
import { checkSeconds, scaledMs } from "../../time/scale";
import { ProcessStateError, TimeoutError } from "../errors";

type State<T> = { kind: "pending" } | { kind: "ok"; value: T } | { kind: "error"; error: unknown };

/** The result of a task submitted to a pool. */
export class AsyncResult<T = unknown> {
  #state: State<T> = { kind: "pending" };
  readonly #waiters: (() => void)[] = [];

  /** Internal: the pool settles it. */
  settle(ok: boolean, valueOrError: unknown): void {
    if (this.#state.kind !== "pending") return;
    this.#state = ok ? { kind: "ok", value: valueOrError as T } : { kind: "error", error: valueOrError };
    for (const w of this.#waiters.splice(0)) w();
  }

  /** True once the task has finished (either way). */
  ready(): boolean {
    return this.#state.kind !== "pending";
  }

  /** True if the task finished without an error; rejects (Python: ValueError) before it is ready. */
  successful(): boolean {
    if (this.#state.kind === "pending") throw new ProcessStateError("successful() before the result is ready; check ready() or await wait() first.", "ERR_SPINDLE_RESULT_NOT_READY");
    return this.#state.kind === "ok";
  }

  /** Waits until ready, or until `timeout` seconds pass. */
  async wait(timeout: number | null = null): Promise<void> {
    if (this.#state.kind !== "pending") return;
    await new Promise<void>((resolve) => {
      let timer: NodeJS.Timeout | undefined;
      const done = (): void => {
        if (timer) clearTimeout(timer);
        resolve();
      };
      this.#waiters.push(done);
      if (timeout !== null) {
        timer = setTimeout(() => {
          const i = this.#waiters.indexOf(done);
          if (i >= 0) this.#waiters.splice(i, 1);
          resolve();
        }, scaledMs(checkSeconds(timeout, "AsyncResult.wait timeout")));
      }
    });
  }

  /** The task's value; rejects with the task's error (remote stack included), or TimeoutError after `timeout` seconds. */
  async get(timeout: number | null = null): Promise<T> {
    await this.wait(timeout);
    const s = this.#state;
    if (s.kind === "pending") throw new TimeoutError(`AsyncResult.get waited ${timeout} s and the task has not finished; raise the timeout or check ready().`);
    if (s.kind === "error") throw s.error;
    return s.value;
  }
}
