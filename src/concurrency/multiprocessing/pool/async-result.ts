/**
 * `AsyncResult` (Python's `multiprocessing.pool.AsyncResult`): the future
 * result of `applyAsync` / `mapAsync`. It never rejects on its own, so an
 * ignored failed task is not an unhandled rejection; `get()` reports it.
 */
import { checkSeconds, scaledMs } from "../../time/scale";
import { ProcessStateError, TimeoutError } from "../errors";

/** The result of a task submitted to a pool. */
export class AsyncResult<T = unknown> {
  // Plain fields, no per-result objects: a pool may hold thousands of these at once.
  #done = false;
  #ok = false;
  #value: unknown;
  #waiters: (() => void)[] | undefined;

  /** Internal: the pool settles it. */
  settle(ok: boolean, valueOrError: unknown): void {
    if (this.#done) return;
    this.#done = true;
    this.#ok = ok;
    this.#value = valueOrError;
    const waiters = this.#waiters;
    this.#waiters = undefined;
    if (waiters) for (const w of waiters) w();
  }

  /** True once the task has finished (either way). */
  ready(): boolean {
    return this.#done;
  }

  /** True if the task finished without an error; rejects (Python: ValueError) before it is ready. */
  successful(): boolean {
    if (!this.#done)
      throw new ProcessStateError(
        "successful() before the result is ready; check ready() or await wait() first.",
        "ERR_SPINDLE_RESULT_NOT_READY",
      );
    return this.#ok;
  }

  /** Waits until ready, or until `timeout` seconds pass. */
  async wait(timeout: number | null = null): Promise<void> {
    if (this.#done) return;
    await new Promise<void>((resolve) => {
      let timer: NodeJS.Timeout | undefined;
      const done = (): void => {
        if (timer) clearTimeout(timer);
        resolve();
      };
      (this.#waiters ??= []).push(done);
      if (timeout !== null) {
        timer = setTimeout(
          () => {
            const i = this.#waiters?.indexOf(done) ?? -1;
            if (i >= 0) this.#waiters?.splice(i, 1);
            resolve();
          },
          scaledMs(checkSeconds(timeout, "AsyncResult.wait timeout")),
        );
      }
    });
  }

  /** The task's value; rejects with the task's error (remote stack included), or TimeoutError after `timeout` seconds. */
  async get(timeout: number | null = null): Promise<T> {
    await this.wait(timeout);
    if (!this.#done)
      throw new TimeoutError(
        `AsyncResult.get waited ${timeout} s and the task has not finished; raise the timeout or check ready().`,
      );
    if (!this.#ok) throw this.#value;
    return this.#value as T;
  }
}
