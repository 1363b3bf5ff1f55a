/**
 * Scoped tasks (Python 3.11's `asyncio.TaskGroup`): every task started in the
 * group is finished when the group's body returns; the first failure cancels
 * the rest (and the body), and all failures come out together as one
 * `ExceptionGroup`. JavaScript has no `async with`, so the body is a function:
 * `await taskGroup(async (tg) => { tg.createTask(() => work(1)); })`.
 */
import { CancelledError, ExceptionGroup, RuntimeError } from "./errors";
import { CancelScope, currentScope, runInScope, suspend, type Suspension } from "./scope";
import { Task, type CoroutineLike, type TaskOptions } from "./task";

/** A set of tasks whose lifetime is one `taskGroup(body)` call. */
export class TaskGroup {
  readonly #tasks = new Set<Task<unknown>>();
  readonly #errors: unknown[] = [];
  readonly #bodyScope: CancelScope;
  #closed = false;
  #aborting = false;
  #bodyRunning = true;
  #allDone: Suspension<void> | undefined;

  /** Created by `taskGroup`; not meant to be constructed directly. */
  constructor(bodyScope: CancelScope) {
    this.#bodyScope = bodyScope;
  }

  /** Starts `coro` as a task of this group (prefer a function, so cancellation reaches it). */
  createTask<T>(coro: CoroutineLike<T>, options?: TaskOptions): Task<T> {
    if (this.#closed) {
      throw new RuntimeError(
        "This TaskGroup has finished; start tasks only inside its body (or in its tasks) while it runs.",
        "ERR_SPINDLE_TASK_GROUP_CLOSED",
      );
    }
    if (this.#aborting) {
      throw new RuntimeError(
        "This TaskGroup is shutting down after a failure; it takes no new tasks.",
        "ERR_SPINDLE_TASK_GROUP_ABORTING",
      );
    }
    const task = new Task(coro, options);
    this.#tasks.add(task);
    task.addDoneCallback(() => this.#onTaskDone(task));
    return task;
  }

  /** Number of the group's tasks still running. */
  get size(): number {
    return this.#tasks.size;
  }

  /** Body ended: decide what to raise once every task is done (internal to `taskGroup`). */
  async finish<R>(outcome: { ok: true; value: R } | { ok: false; error: unknown }): Promise<R> {
    this.#bodyRunning = false;
    const outerCancelled = (): boolean => this.#bodyScope.outerCancelled;
    if (!outcome.ok) {
      if (!(outcome.error instanceof CancelledError)) this.#errors.push(outcome.error);
      this.#abort();
    }
    let cancelledFromOutside = outerCancelled() && !outcome.ok && outcome.error instanceof CancelledError;
    const parent = this.#bodyScope.parent;
    while (this.#tasks.size > 0) {
      try {
        await suspend<void>((s) => {
          this.#allDone = s;
          s.undo = () => {
            this.#allDone = undefined;
          };
        }, parent);
      } catch (err) {
        if (!(err instanceof CancelledError)) throw err;
        // The task running the group was cancelled while it waited for the group's tasks: stop them all, keep waiting.
        cancelledFromOutside = true;
        this.#abort();
      }
    }
    this.#closed = true;
    if (this.#errors.length > 0) throw new ExceptionGroup("unhandled errors in a TaskGroup", this.#errors);
    if (cancelledFromOutside)
      throw outcome.ok ? new CancelledError("The task running this TaskGroup was cancelled.") : outcome.error;
    if (!outcome.ok) throw outcome.error;
    return outcome.value;
  }

  #onTaskDone(task: Task<unknown>): void {
    this.#tasks.delete(task);
    if (!task.cancelled()) {
      try {
        task.result(); // marks the error as retrieved: the group reports it
      } catch (err) {
        this.#errors.push(err);
        this.#abort();
      }
    }
    if (this.#tasks.size === 0 && this.#allDone) {
      const done = this.#allDone;
      this.#allDone = undefined;
      done.resolve();
    }
  }

  #abort(): void {
    if (this.#aborting) return;
    this.#aborting = true;
    for (const t of this.#tasks) t.cancel("Cancelled by its TaskGroup because another task of the group failed.");
    if (this.#bodyRunning)
      this.#bodyScope.cancel(new CancelledError("The TaskGroup body was cancelled because one of its tasks failed."));
  }
}

/**
 * Runs `body(tg)`; waits for every task it starts with `tg.createTask`. If
 * any fails, the others and the body are cancelled, and the failures are
 * thrown together as an `ExceptionGroup`. Resolves to the body's result.
 */
export async function taskGroup<R>(body: (tg: TaskGroup) => R | PromiseLike<R>): Promise<R> {
  const parent = currentScope();
  const scope = new CancelScope(parent, parent?.root.runner, parent?.owner);
  const group = new TaskGroup(scope);
  let outcome: { ok: true; value: R } | { ok: false; error: unknown };
  try {
    outcome = { ok: true, value: await runInScope(scope, async () => await body(group)) };
  } catch (error) {
    outcome = { ok: false, error };
  }
  try {
    return await group.finish(outcome);
  } finally {
    scope.close();
  }
}
