/**
 * `gather`: run awaitables concurrently and collect their results in order
 * (Python's `asyncio.gather`).
 */
import { CancelledError } from "./errors";
import { Future } from "./future";
import { ensureFuture, type CoroutineLike } from "./task";

/** Options of `gather`, passed as its last argument. */
export interface GatherOptions {
  /** Put errors (and `CancelledError` for cancelled children) in the results instead of rejecting. */
  returnExceptions?: boolean;
}

/** Each element of `T` as something `gather` accepts. */
export type Awaitables<T extends readonly unknown[]> = { [K in keyof T]: CoroutineLike<T[K]> | Future<T[K]> };

/** The future `gather` returns; cancelling it cancels every child still running. */
class GatheringFuture<T> extends Future<T> {
  #cancelRequested = false;

  constructor(readonly children: readonly Future<unknown>[]) {
    super();
  }

  /** True once `cancel()` was called while children were running. */
  get cancelRequested(): boolean {
    return this.#cancelRequested;
  }

  override cancel(message?: string): boolean {
    if (this.done()) return false;
    let any = false;
    for (const child of this.children) if (child.cancel(message)) any = true;
    if (any) this.#cancelRequested = true;
    return any;
  }
}

/**
 * Runs every awaitable concurrently; resolves to their results in argument
 * order. The first error rejects the gather (the others keep running), unless
 * `{ returnExceptions: true }` is passed last. Pass functions (`() => work(1)`)
 * to make the children cancellable.
 */
export function gather<T extends unknown[]>(...aws: Awaitables<T>): Future<T>;
/** With `{ returnExceptions: true }` last: errors become results instead of rejecting. */
export function gather<T extends unknown[]>(
  ...args: [...Awaitables<T>, GatherOptions]
): Future<{ [K in keyof T]: T[K] | Error }>;
export function gather(...args: unknown[]): Future<unknown[]> {
  let options: GatherOptions = {};
  const last = args[args.length - 1];
  if (isOptions(last)) {
    options = last;
    args = args.slice(0, -1);
  }
  const children = args.map((a) => ensureFuture(a as CoroutineLike<unknown>));
  const outer = new GatheringFuture<unknown[]>(children);
  const results = new Array<unknown>(children.length);
  let remaining = children.length;
  if (remaining === 0) {
    outer.setResult([]);
    return outer;
  }
  children.forEach((child, i) => {
    child.addDoneCallback(() => {
      remaining--;
      const outcome = readOutcome(child); // also marks the child's error as retrieved
      if (outer.done()) return;
      if (!options.returnExceptions && outcome.failed) {
        outer.setException(outcome.error);
        return;
      }
      results[i] = outcome.failed ? outcome.error : outcome.value;
      if (remaining === 0) {
        if (outer.cancelRequested) outer.setException(new CancelledError("The gather was cancelled."));
        else outer.setResult(results);
      }
    });
  });
  return outer;
}

function readOutcome(f: Future<unknown>): { failed: false; value: unknown } | { failed: true; error: unknown } {
  try {
    return { failed: false, value: f.result() };
  } catch (error) {
    return { failed: true, error };
  }
}

function isOptions(value: unknown): value is GatherOptions {
  return (
    typeof value === "object" &&
    value !== null &&
    !(value instanceof Future) &&
    typeof (value as { then?: unknown }).then !== "function"
  );
}
