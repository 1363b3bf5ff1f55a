/**
 * `run(main)`: the entry point of an asyncio program (Python's `asyncio.run`).
 * Node already runs an event loop, so `run` does not start one; it runs
 * `main` as a task, and when it ends cancels the tasks `main` left running
 * and waits for them, as Python does.
 */
import { CancelScope, runInScope, type Runner } from "./scope";
import { Task, type CoroutineLike } from "./task";

/**
 * Runs `main` to completion and resolves to its result; tasks it started and
 * left running are then cancelled and awaited. Pass the function (`run(main)`)
 * rather than its promise (`run(main())`): a promise has already started
 * outside the runner, so its tasks are not cleaned up and it cannot be cancelled.
 */
export async function run<T>(main: CoroutineLike<T>, options: { name?: string } = {}): Promise<T> {
  const runner: Runner = { tasks: new Set() };
  // A scope only to hand the runner to the main task as it is created.
  const seed = new CancelScope(undefined, runner, undefined);
  const task = runInScope(seed, () => new Task(main, { name: options.name ?? "main" }));
  try {
    return await task;
  } finally {
    await cancelLeftovers(runner);
  }
}

async function cancelLeftovers(runner: Runner): Promise<void> {
  const left = [...runner.tasks].filter((t): t is Task<unknown> => t instanceof Task && !t.done());
  if (left.length === 0) return;
  for (const t of left) t.cancel("Cancelled by asyncio.run() because the main task ended.");
  await Promise.all(left.map((t) => new Promise<void>((resolve) => t.addDoneCallback(() => resolve()))));
}
