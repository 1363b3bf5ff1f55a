/**
 * Cooperative cancellation for `spindle/asyncio`.
 *
 * A JavaScript promise cannot be cancelled from outside, so a task is
 * cancelled the way Python delivers `CancelledError`: at an await point.
 * Every Spindle wait (sleep, a lock, a queue, awaiting a Task or Future) runs
 * through `suspend`, which registers itself with the *current scope* and
 * rejects with `CancelledError` when that scope is cancelled.
 *
 * Scopes: each Task has a root scope; `timeout()` and task-group bodies open
 * child scopes inside it; a cell's top-level code (outside any task) uses the
 * cell's scope, cancelled when the cell is interrupted. The current scope is
 * held in an AsyncLocalStorage — the same mechanism as the current cell, and
 * the JavaScript counterpart of Python's `current_task()` context. It is a
 * second ambient value on purpose: without it a plain `await sleep(1)` inside
 * a task could not learn which task to cancel.
 *
 * Delivery is edge-triggered, as in Python: one cancel request reaches the
 * waits pending at that moment (or, if there are none, the next wait), once.
 * Code that catches CancelledError can still await while it cleans up.
 */
import { AsyncLocalStorage } from "node:async_hooks";
import { currentCell, type CellContext } from "../../runtime/cell-context";
import { beginSpan, endSpan, isRecording } from "../../timing/recorder";
import { CancelledError } from "./errors";

type Waiter = (err: CancelledError) => void;

/** Owns the tasks started under one `run()` call, so `run` can cancel what is left at the end. */
export interface Runner {
  /** Live tasks started under this runner. */
  readonly tasks: Set<{ cancel(message?: string): boolean }>;
}

/** A node in the cancellation tree (internal). */
export class CancelScope {
  // Created on first use: most scopes (one per task) never hold a child scope, and 10,000 tasks should stay cheap.
  #waiters: Set<Waiter> | undefined;
  #children: Set<CancelScope> | undefined;
  #pending: CancelledError | undefined;
  #outerCancelled = false;
  #closed = false;

  /** `owner` is the task (or cell) this scope belongs to; `parent` is set for child scopes. */
  constructor(
    readonly parent: CancelScope | undefined,
    readonly runner: Runner | undefined,
    readonly owner: unknown,
  ) {
    if (parent) (parent.#children ??= new Set()).add(this);
  }

  /** True when a cancellation reached this scope from an enclosing scope (not from `cancel` on itself). */
  get outerCancelled(): boolean {
    return this.#outerCancelled;
  }

  /** Requests cancellation: pending waits reject now; with none pending, the next wait does. */
  cancel(err: CancelledError): void {
    if (this.#closed) return;
    if (!this.#deliver(err, false)) this.#pending = err;
  }

  #deliver(err: CancelledError, outer: boolean): boolean {
    if (outer) this.#outerCancelled = true;
    let delivered = false;
    if (this.#waiters && this.#waiters.size > 0) {
      const waiters = [...this.#waiters];
      this.#waiters.clear();
      for (const w of waiters) w(err);
      delivered = true;
    }
    if (this.#children) for (const child of this.#children) delivered = child.#deliver(err, true) || delivered;
    return delivered;
  }

  /** Takes (once) a cancel request not yet delivered, from this scope or an enclosing one. */
  takePending(): CancelledError | undefined {
    for (let s: CancelScope | undefined = this; s; s = s.parent) {
      const err = s.#pending;
      if (err) {
        s.#pending = undefined;
        for (let inner: CancelScope | undefined = this; inner && inner !== s; inner = inner.parent) inner.#outerCancelled = true;
        return err;
      }
    }
    return undefined;
  }

  /** Registers a wait to reject on cancellation; returns the function that unregisters it. */
  addWaiter(waiter: Waiter): () => void {
    const waiters = (this.#waiters ??= new Set());
    waiters.add(waiter);
    return () => waiters.delete(waiter);
  }

  /** Detaches a child scope from its parent once its body is over. */
  close(): void {
    this.#closed = true;
    this.#waiters = undefined;
    if (this.parent) this.parent.#children?.delete(this);
  }

  /** The outermost scope of this tree (the task's or the cell's). */
  get root(): CancelScope {
    let s: CancelScope = this;
    while (s.parent) s = s.parent;
    return s;
  }
}

const storage = new AsyncLocalStorage<CancelScope>();
const cellScopes = new WeakMap<CellContext, CancelScope>();

/** Runs `fn` (and everything asynchronous it starts) inside `scope`. */
export function runInScope<T>(scope: CancelScope, fn: () => T): T {
  return storage.run(scope, fn);
}

/** The scope of the code running now: its task's, or else its cell's, or undefined in a plain script. */
export function currentScope(): CancelScope | undefined {
  const scope = storage.getStore();
  if (scope) return scope;
  const cell = currentCell();
  return cell ? cellScope(cell) : undefined;
}

/** The scope a cell's top-level waits use; it is cancelled once when the cell is interrupted. */
function cellScope(cell: CellContext): CancelScope {
  let scope = cellScopes.get(cell);
  if (!scope) {
    const created = new CancelScope(undefined, undefined, cell);
    scope = created;
    cellScopes.set(cell, created);
    const onAbort = (): void => created.cancel(new CancelledError("The wait was cancelled because the cell was interrupted."));
    if (cell.signal.aborted) onAbort();
    else cell.signal.addEventListener("abort", onAbort, { once: true });
  }
  return scope;
}

/**
 * A Spindle await point. `start` begins the wait and calls `resolve`/`reject`
 * when it ends; the function it returns undoes the wait (clears a timer,
 * leaves a waiters queue) and is called if the scope is cancelled first.
 */
export function suspend<T>(
  start: (resolve: (value: T) => void, reject: (err: unknown) => void) => (() => void) | void,
  scope: CancelScope | undefined = currentScope(),
  label?: { kind: "wait" | "sleep"; what: string },
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const pending = scope?.takePending();
    if (pending) {
      reject(pending);
      return;
    }
    let settled = false;
    let unregister: (() => void) | undefined;
    // Timeline: a hatched (wait) or sleeping span while suspended; one shared-memory read when not recording.
    const span = label && isRecording() ? beginSpan(label.kind, label.what) : 0;
    const undo = start(
      (value) => {
        if (settled) return;
        settled = true;
        unregister?.();
        if (span !== 0) endSpan(span, "wake", label?.what);
        resolve(value);
      },
      (err) => {
        if (settled) return;
        settled = true;
        unregister?.();
        if (span !== 0) endSpan(span, "wake", label?.what);
        reject(err);
      },
    );
    if (settled || !scope) return;
    unregister = scope.addWaiter((err) => {
      if (settled) return;
      settled = true;
      if (undo) undo();
      if (span !== 0) endSpan(span, "wake", label?.what);
      reject(err);
    });
  });
}
