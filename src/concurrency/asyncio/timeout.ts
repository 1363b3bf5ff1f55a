/**
 * `timeout(seconds, body)`: a scope that cancels its body when time runs out
 * and turns that cancellation into `TimeoutError` (Python 3.11's
 * `async with asyncio.timeout(delay):`). JavaScript has no `async with`, so
 * the body is a function.
 */
import { checkSeconds, scaledMs } from "../time/scale";
import { CancelledError, TimeoutError } from "./errors";
import { CancelScope, currentScope, runInScope } from "./scope";

/** The handle a `timeout` body receives to inspect or move its deadline. */
export interface TimeoutScope {
  /** Sets a new limit, `seconds` from now (null: no limit). */
  reschedule(seconds: number | null): void;
  /** True once the deadline passed and the body was cancelled. */
  expired(): boolean;
}

/**
 * Runs `body`; if it is still running after `seconds` (scaled by
 * SPINDLE_TIME_SCALE; null for no limit) its current Spindle await is
 * cancelled and `timeout` rejects with `TimeoutError`. Resolves to the body's result.
 */
export async function timeout<T>(
  seconds: number | null,
  body: (scope: TimeoutScope) => T | PromiseLike<T>,
): Promise<T> {
  if (seconds !== null) checkSeconds(seconds, "timeout(seconds)");
  const parent = currentScope();
  const scope = new CancelScope(parent, parent?.root.runner, parent?.owner);
  let timer: NodeJS.Timeout | undefined;
  let expired = false;
  let limit = seconds;
  const arm = (s: number | null): void => {
    clearTimeout(timer);
    limit = s;
    timer =
      s === null
        ? undefined
        : setTimeout(() => {
            expired = true;
            scope.cancel(new CancelledError(`The timeout of ${s} s expired.`));
          }, scaledMs(s));
  };
  const handle: TimeoutScope = {
    reschedule: (s) => {
      if (s !== null) checkSeconds(s, "reschedule(seconds)");
      if (!expired) arm(s);
    },
    expired: () => expired,
  };
  arm(seconds);
  try {
    // Awaited inside the scope, so a Future the body returns is linked to this scope's cancellation.
    return await runInScope(scope, async () => await body(handle));
  } catch (err) {
    if (expired && err instanceof CancelledError && !scope.outerCancelled) {
      throw new TimeoutError(
        `The block under timeout(${limit}) was still running when its ${limit} s ran out and was cancelled; raise the limit or make the work faster.`,
        { cause: err },
      );
    }
    throw err;
  } finally {
    clearTimeout(timer);
    scope.close();
  }
}
