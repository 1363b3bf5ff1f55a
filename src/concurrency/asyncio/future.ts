/**
 * `Future`: a result that will exist later (Python's `asyncio.Future`), and
 * the base of `Task`. It is a thenable, so `await future` works; awaiting it
 * is a Spindle await point: if the awaiting task is cancelled meanwhile, the
 * future is cancelled too (as in Python, where cancelling a task cancels the
 * future it waits on; wrap it in `shield()` to prevent that).
 */
import { CancelledError, InvalidStateError } from "./errors";
import { currentScope, type CancelScope, type Waiter } from "./scope";

type State = "pending" | "finished" | "failed" | "cancelled";

/** A value or error that arrives later; await it, or read it with `result()` once `done()`. */
export class Future<T> implements PromiseLike<T> {
  #state: State = "pending";
  #value: T | undefined;
  #error: unknown;
  // Stored as closures (not typed by T) so Future<T> stays covariant: a Future<number> is a Future<unknown>.
  #callbacks: Array<{ callback: unknown; run: () => void }> | undefined;
  #settle: { resolve: (v: never) => void; reject: (e: unknown) => void } | undefined;
  #promise: Promise<T> | undefined;
  #retrieved = false;
  #cancelMessage: string | undefined;
  #awaiters: Array<{ scope: CancelScope; waiter: Waiter }> | undefined;

  /** True once the future has a result, an error, or was cancelled. */
  done(): boolean {
    return this.#state !== "pending";
  }

  /** True when the future was cancelled. */
  cancelled(): boolean {
    return this.#state === "cancelled";
  }

  /** The result; throws the future's error, `CancelledError`, or `InvalidStateError` when not done yet. */
  result(): T {
    this.#retrieved = true;
    switch (this.#state) {
      case "finished":
        return this.#value as T;
      case "failed":
        throw this.#error;
      case "cancelled":
        throw this.#cancelledError();
      default:
        throw new InvalidStateError(
          "result() called on a future that is not done yet; `await` it instead, or check done() first.",
        );
    }
  }

  /** The error the future ended with (undefined on success); throws `CancelledError` or `InvalidStateError`. */
  exception(): unknown {
    this.#retrieved = true;
    switch (this.#state) {
      case "finished":
        return undefined;
      case "failed":
        return this.#error;
      case "cancelled":
        throw this.#cancelledError();
      default:
        throw new InvalidStateError(
          "exception() called on a future that is not done yet; `await` it instead, or check done() first.",
        );
    }
  }

  /** Sets the result; throws `InvalidStateError` if the future is already done. */
  setResult(value: T): void {
    this.#checkPending("setResult");
    this.#finish("finished", value, undefined);
  }

  /** Sets an error; throws `InvalidStateError` if the future is already done. */
  setException(error: unknown): void {
    this.#checkPending("setException");
    if (error instanceof CancelledError) this.#finish("cancelled", undefined, error);
    else this.#finish("failed", undefined, error);
  }

  /** Cancels a pending future; returns false if it was already done. */
  cancel(message?: string): boolean {
    if (this.#state !== "pending") return false;
    this.#cancelMessage = message;
    this.#finish("cancelled", undefined, undefined);
    return true;
  }

  /** Calls `callback(future)` once the future is done (at once, on a later tick, if it already is). */
  addDoneCallback(callback: (future: this) => void): void {
    const run = (): void => callback(this);
    if (this.#state === "pending") (this.#callbacks ??= []).push({ callback, run });
    else queueMicrotask(run);
  }

  /** Removes every registration of `callback`; returns how many were removed. */
  removeDoneCallback(callback: (future: this) => void): number {
    if (!this.#callbacks) return 0;
    const before = this.#callbacks.length;
    this.#callbacks = this.#callbacks.filter((entry) => entry.callback !== callback);
    return before - this.#callbacks.length;
  }

  /** Lets `await future` work; cancelling the awaiting task cancels this future. */
  then<R1 = T, R2 = never>(
    onFulfilled?: ((value: T) => R1 | PromiseLike<R1>) | null,
    onRejected?: ((reason: unknown) => R2 | PromiseLike<R2>) | null,
  ): Promise<R1 | R2> {
    this.#retrieved = true;
    if (this.#state === "pending") this.#linkAwaiter();
    return this.#asPromise().then(onFulfilled, onRejected);
  }

  /** Same as `then(undefined, onRejected)`. */
  catch<R = never>(onRejected?: ((reason: unknown) => R | PromiseLike<R>) | null): Promise<T | R> {
    return this.then(undefined, onRejected);
  }

  /** Runs `onFinally` when the future is done, passing its outcome through. */
  finally(onFinally?: (() => void) | null): Promise<T> {
    return this.then(
      (v) => {
        onFinally?.();
        return v;
      },
      (e) => {
        onFinally?.();
        throw e;
      },
    );
  }

  /** Lets a Future stand wherever a Promise is expected. */
  get [Symbol.toStringTag](): string {
    return "Future";
  }

  /** True once someone awaited the future or read its result or error. */
  protected get retrieved(): boolean {
    return this.#retrieved;
  }

  /** Marks the outcome as seen, so an error is not reported as never retrieved. */
  protected markRetrieved(): void {
    this.#retrieved = true;
  }

  /** Ends the future with a `CancelledError` carrying `error` (used by Task when its coroutine stops on one). */
  protected finishCancelled(error: CancelledError): void {
    this.#finish("cancelled", undefined, error);
  }

  /** The error the future failed with, without marking it retrieved (for reporting). */
  protected get rawError(): unknown {
    return this.#error;
  }

  #checkPending(what: string): void {
    if (this.#state !== "pending") {
      throw new InvalidStateError(
        `${what}() called on a future that is already ${this.#state}; a future is settled once.`,
      );
    }
  }

  #cancelledError(): CancelledError {
    if (this.#error instanceof CancelledError) return this.#error;
    const err = new CancelledError(this.#cancelMessage ?? undefined);
    this.#error = err;
    return err;
  }

  #finish(state: Exclude<State, "pending">, value: T | undefined, error: unknown): void {
    this.#state = state;
    this.#value = value;
    this.#error = error;
    if (this.#awaiters) for (const a of this.#awaiters) a.scope.removeWaiter(a.waiter);
    this.#awaiters = undefined;
    if (this.#settle) {
      if (state === "finished") this.#settle.resolve(value as never);
      else this.#settle.reject(state === "cancelled" ? this.#cancelledError() : error);
      this.#settle = undefined;
    }
    const callbacks = this.#callbacks;
    this.#callbacks = undefined;
    if (callbacks)
      for (const entry of callbacks) {
        try {
          entry.run();
        } catch (err) {
          // A failing callback must not stop the others; surface it the way Node surfaces stray errors.
          queueMicrotask(() => {
            throw err;
          });
        }
      }
  }

  #asPromise(): Promise<T> {
    if (!this.#promise) {
      if (this.#state === "finished") this.#promise = Promise.resolve(this.#value as T);
      else if (this.#state === "pending") {
        this.#promise = new Promise<T>((resolve, reject) => {
          this.#settle = { resolve, reject };
        });
      } else {
        this.#promise = Promise.reject(this.#state === "cancelled" ? this.#cancelledError() : this.#error);
      }
      // The caller of then() handles the outcome; this copy must never count as unhandled.
      this.#promise.catch(() => undefined);
    }
    return this.#promise;
  }

  /** Cancels this future if the task awaiting it is cancelled (Python's `_fut_waiter` rule). */
  #linkAwaiter(): void {
    const scope = currentScope();
    if (!scope) return;
    const pending = scope.takePending();
    if (pending) {
      this.cancel(pending.message);
      return;
    }
    const waiter: Waiter = {
      cancel: (err) => {
        this.cancel(err.message);
      },
    };
    scope.addWaiter(waiter);
    (this.#awaiters ??= []).push({ scope, waiter });
  }
}
