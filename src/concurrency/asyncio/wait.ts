/**
 * Waiting on several awaitables: `waitFor` (one, with a timeout), `wait`
 * (until the first, the first error, or all), `asCompleted` (in finishing
 * order) and `shield` (protect from cancellation). Timeouts are seconds,
 * scaled by SPINDLE_TIME_SCALE.
 */
import { checkSeconds, scaledMs } from "../time/scale";
import { CancelledError, TimeoutError } from "./errors";
import { Future } from "./future";
import { suspend } from "./scope";
import { ensureFuture, type CoroutineLike } from "./task";

/** `wait` returns when any awaitable finishes or is cancelled. */
export const FIRST_COMPLETED = "FIRST_COMPLETED";
/** `wait` returns when any awaitable fails, or all finish. */
export const FIRST_EXCEPTION = "FIRST_EXCEPTION";
/** `wait` returns when all awaitables are done (the default). */
export const ALL_COMPLETED = "ALL_COMPLETED";

/** When `wait` returns. */
export type ReturnWhen = typeof FIRST_COMPLETED | typeof FIRST_EXCEPTION | typeof ALL_COMPLETED;

/** An awaitable `waitFor`, `wait`, `asCompleted` and `shield` accept. */
export type AwaitableLike<T> = CoroutineLike<T> | Future<T>;

/** The result type of an awaitable (distributes over unions, so mixed lists type as a union). */
export type ResultOf<A> = A extends AwaitableLike<infer R> ? R : never;

/**
 * Awaits `aw`, but at most `timeout` seconds (null: no limit). On timeout the
 * awaitable is cancelled, its end awaited, and `TimeoutError` thrown.
 */
export async function waitFor<T>(aw: AwaitableLike<T>, timeout: number | null): Promise<T> {
  if (timeout !== null) checkSeconds(timeout, "waitFor(aw, timeout)");
  const inner = ensureFuture(aw);
  if (timeout === null) return await inner;
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    inner.cancel(`waitFor timed out after ${timeout} s.`);
  }, scaledMs(timeout));
  try {
    return await inner;
  } catch (err) {
    if (timedOut && err instanceof CancelledError && inner.cancelled()) {
      throw new TimeoutError(
        `waitFor gave up after ${timeout} s and cancelled the awaitable; raise the timeout, or pass null to wait without a limit.`,
        { cause: err },
      );
    }
    throw err;
  } finally {
    clearTimeout(timer);
  }
}

/** Options of `wait`. */
export interface WaitOptions {
  /** Return after this many seconds even if the condition is not met (nothing is cancelled). */
  timeout?: number | null;
  /** FIRST_COMPLETED, FIRST_EXCEPTION or ALL_COMPLETED (default). */
  returnWhen?: ReturnWhen;
}

/**
 * Waits until `returnWhen` holds or `timeout` seconds pass; resolves to
 * `[done, pending]` sets of futures. It never cancels and never throws the
 * awaitables' errors: read them from the done futures.
 */
export function wait<A extends AwaitableLike<unknown>>(
  aws: Iterable<A>,
  options: WaitOptions = {},
): Promise<[Set<Future<ResultOf<A>>>, Set<Future<ResultOf<A>>>]> {
  type T = ResultOf<A>;
  const returnWhen = options.returnWhen ?? ALL_COMPLETED;
  if (returnWhen !== FIRST_COMPLETED && returnWhen !== FIRST_EXCEPTION && returnWhen !== ALL_COMPLETED) {
    return Promise.reject(
      new TypeError(
        `wait: returnWhen must be FIRST_COMPLETED, FIRST_EXCEPTION or ALL_COMPLETED (got ${String(returnWhen)}).`,
      ),
    );
  }
  const timeout = options.timeout ?? null;
  if (timeout !== null) {
    try {
      checkSeconds(timeout, "wait({ timeout })");
    } catch (err) {
      return Promise.reject(err);
    }
  }
  const futures = [...new Set([...aws].map((a) => ensureFuture(a as AwaitableLike<T>)))];
  const split = (): [Set<Future<T>>, Set<Future<T>>] => [
    new Set(futures.filter((f) => f.done())),
    new Set(futures.filter((f) => !f.done())),
  ];
  const met = (): boolean => {
    const done = futures.filter((f) => f.done());
    if (done.length === futures.length) return true;
    if (returnWhen === FIRST_COMPLETED) return done.length > 0;
    if (returnWhen === FIRST_EXCEPTION) return done.some((f) => !f.cancelled() && f.exception() !== undefined);
    return false;
  };
  if (futures.length === 0 || met()) return Promise.resolve(split());
  return suspend<[Set<Future<T>>, Set<Future<T>>]>((s) => {
    let finished = false;
    const check = (): void => {
      if (!finished && met()) finish();
    };
    const finish = (): void => {
      finished = true;
      clearTimeout(timer);
      for (const f of futures) f.removeDoneCallback(check);
      s.resolve(split());
    };
    const timer = timeout === null ? undefined : setTimeout(finish, scaledMs(timeout));
    for (const f of futures) f.addDoneCallback(check);
    s.undo = () => {
      finished = true;
      clearTimeout(timer);
      for (const f of futures) f.removeDoneCallback(check);
    };
  });
}

/**
 * The awaitables' outcomes in the order they finish: an array of promises
 * (the first resolves with whichever finishes first, and so on), usable with
 * `for (const p of asCompleted(aws)) await p` or `for await (const r of …)`.
 * After `timeout` seconds the remaining promises reject with `TimeoutError`.
 */
export function asCompleted<A extends AwaitableLike<unknown>>(
  aws: Iterable<A>,
  options: { timeout?: number | null } = {},
): Promise<ResultOf<A>>[] {
  type T = ResultOf<A>;
  const timeout = options.timeout ?? null;
  if (timeout !== null) checkSeconds(timeout, "asCompleted({ timeout })");
  const futures = [...new Set([...aws].map((a) => ensureFuture(a as AwaitableLike<T>)))];
  const slots = futures.map(() => {
    let resolve!: (v: T) => void;
    let reject!: (e: unknown) => void;
    const promise = new Promise<T>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    // A later slot may reject (an error, the timeout) before the loop reaches it: that is not "unhandled".
    promise.catch(() => undefined);
    return { promise, resolve, reject };
  });
  let next = 0;
  const timer =
    timeout === null
      ? undefined
      : setTimeout(() => {
          const err = new TimeoutError(
            `asCompleted: ${futures.length - next} awaitable(s) were still running after ${timeout} s; raise the timeout or handle TimeoutError.`,
          );
          while (next < slots.length) slots[next++]!.reject(err);
        }, scaledMs(timeout));
  for (const f of futures) {
    f.addDoneCallback(() => {
      if (next >= slots.length) return;
      const slot = slots[next++]!;
      try {
        slot.resolve(f.result());
      } catch (err) {
        slot.reject(err);
      }
      if (next === slots.length) clearTimeout(timer);
    });
  }
  return slots.map((s) => s.promise);
}

/**
 * Protects `aw` from cancellation: cancelling the task that awaits the shield
 * cancels only the shield, and `aw` keeps running (Python's `asyncio.shield`).
 */
export function shield<T>(aw: AwaitableLike<T>): Future<T> {
  const inner = ensureFuture(aw);
  if (inner.done()) return inner;
  const outer = new Future<T>();
  inner.addDoneCallback(() => {
    if (outer.done()) {
      // The shield was cancelled; still note the inner outcome so its error is not reported twice.
      try {
        inner.result();
      } catch {
        /* seen */
      }
      return;
    }
    try {
      outer.setResult(inner.result());
    } catch (err) {
      outer.setException(err);
    }
  });
  return outer;
}
