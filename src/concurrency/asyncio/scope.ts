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
import { traceSpan, traceSpanEnd, tracing } from "../shared/trace";
import { controlled, deferResume, deferSleep, noteBlocked } from "./controlled";
import { CancelledError } from "./errors";

/** Something suspended in a scope: told once if the scope is cancelled first. */
export interface Waiter {
  /** Ends the wait with `err` (the waiter has already been removed from the scope). */
  cancel(err: CancelledError): void;
}

/** Owns the tasks started under one `run()` call, so `run` can cancel what is left at the end. */
export interface Runner {
  /** Live tasks started under this runner. */
  readonly tasks: Set<{ cancel(message?: string): boolean }>;
}

/** A node in the cancellation tree (internal). */
export class CancelScope {
  // Created on first use: most scopes (one per task) never hold a child scope, and 10,000 tasks should stay cheap.
  // A task waits on one thing at a time, so the first waiter sits in a field; a Set only for more.
  #waiter: Waiter | undefined;
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
    const single = this.#waiter;
    if (single) {
      this.#waiter = undefined;
      single.cancel(err);
      delivered = true;
    }
    if (this.#waiters && this.#waiters.size > 0) {
      const waiters = [...this.#waiters];
      this.#waiters.clear();
      for (const w of waiters) w.cancel(err);
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
        for (let inner: CancelScope | undefined = this; inner && inner !== s; inner = inner.parent)
          inner.#outerCancelled = true;
        return err;
      }
    }
    return undefined;
  }

  /** Registers a wait to be cancelled with this scope. */
  addWaiter(waiter: Waiter): void {
    if (!this.#waiter) this.#waiter = waiter;
    else (this.#waiters ??= new Set()).add(waiter);
  }

  /** Unregisters a wait that ended on its own. */
  removeWaiter(waiter: Waiter): void {
    if (this.#waiter === waiter) this.#waiter = undefined;
    else this.#waiters?.delete(waiter);
  }

  /** Detaches a child scope from its parent once its body is over. */
  close(): void {
    this.#closed = true;
    this.#waiter = undefined;
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
    const onAbort = (): void =>
      created.cancel(new CancelledError("The wait was cancelled because the cell was interrupted."));
    if (cell.signal.aborted) onAbort();
    else cell.signal.addEventListener("abort", onAbort, { once: true });
  }
  return scope;
}

/**
 * One Spindle await in progress. Whatever ends the wait calls `resolve` or
 * `reject` (a lock handing itself over, a timer, a queue passing an item);
 * if the scope is cancelled first, `cancel` undoes the wait — clears `timer`,
 * leaves `queue` — and rejects with `CancelledError`. One object per wait,
 * no closures: 10,000 sleeping tasks stay cheap.
 */
export class Suspension<T> implements Waiter {
  /** True once resolved, rejected or cancelled. */
  settled = false;
  /** A timer to clear on cancellation. */
  timer: NodeJS.Timeout | undefined;
  /** An immediate to clear on cancellation (`sleep(0)`). */
  immediate: NodeJS.Immediate | undefined;
  /** A waiters queue to leave on cancellation. */
  queue: Set<Suspension<T>> | undefined;
  /** Anything the primitive keeps with the waiter (a queued item, a result). */
  data: unknown;
  /** Called on cancellation, for undo work beyond `timer` and `queue`. */
  undo: (() => void) | undefined;
  readonly #resolve: (value: T) => void;
  readonly #reject: (err: unknown) => void;
  readonly #scope: CancelScope | undefined;
  readonly #span: number;
  readonly #what: string | undefined;

  /** Created by `suspend`. */
  constructor(
    resolve: (value: T) => void,
    reject: (err: unknown) => void,
    scope: CancelScope | undefined,
    span: number,
    what: string | undefined,
  ) {
    this.#resolve = resolve;
    this.#reject = reject;
    this.#scope = scope;
    this.#span = span;
    this.#what = what;
  }

  /** Ends the wait with `value` (ignored once settled); while explored, when the strategy picks this task. */
  resolve(value: T): void {
    if (controlled.on && this.#defer())
      deferResume(this, this.#what ?? "a wait", () => this.#end() && this.#resolve(value));
    else if (this.#end()) this.#resolve(value);
  }

  /** Ends the wait with an error (ignored once settled); while explored, when the strategy picks this task. */
  reject(err: unknown): void {
    if (controlled.on && this.#defer())
      deferResume(this, this.#what ?? "a wait", () => this.#end() && this.#reject(err));
    else if (this.#end()) this.#reject(err);
  }

  /** While explored: ends a sleep of `ms` when virtual time reaches it and the strategy picks this task. */
  sleepFor(ms: number, value: T): void {
    if (this.#defer()) deferSleep(this, ms, () => this.#end() && this.#resolve(value));
  }

  /** Ends the wait at once, even while explored (the explorer's deadlock verdict). */
  failNow(err: unknown): void {
    if (this.#end()) this.#reject(err);
  }

  // True the first time a controlled resumption is requested (later requests are ignored, as after settling).
  #defer(): boolean {
    if (this.settled || this.#deferred) return false;
    this.#deferred = true;
    return true;
  }
  #deferred = false;

  /** Called by the scope: undoes the wait and rejects with `err`. */
  cancel(err: CancelledError): void {
    if (this.settled) return;
    this.settled = true;
    if (this.timer !== undefined) clearTimeout(this.timer);
    if (this.immediate !== undefined) clearImmediate(this.immediate);
    this.queue?.delete(this);
    this.undo?.();
    if (this.#span !== 0) traceSpanEnd(this.#span, "wake", this.#what);
    this.#reject(err);
  }

  #end(): boolean {
    if (this.settled) return false;
    this.settled = true;
    this.#scope?.removeWaiter(this);
    if (this.#span !== 0) traceSpanEnd(this.#span, "wake", this.#what);
    return true;
  }
}

/** Labels a wait on a recorded timeline: hatched (`wait`) or sleeping, and what it waits for. */
export interface WaitLabel {
  kind: "wait" | "sleep";
  what: string;
}

/**
 * A Spindle await point: `start(s)` begins the wait and arranges for
 * `s.resolve`/`s.reject` to be called when it ends; a cancellation of the
 * scope first calls `s.cancel`. A cancel request already pending rejects at once.
 */
export function suspend<T>(
  start: (s: Suspension<T>) => void,
  scope: CancelScope | undefined = currentScope(),
  label?: WaitLabel,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const pending = scope?.takePending();
    if (pending) {
      reject(pending);
      return;
    }
    // Timeline: a hatched (wait) or sleeping span while suspended; one shared-memory read when not recording.
    const span = label && tracing() ? traceSpan(label.kind, label.what) : 0;
    const s = new Suspension<T>(resolve, reject, scope, span, label?.what ?? (controlled.on ? "a wait" : undefined));
    if (controlled.on) noteBlocked(s, label?.what ?? "a wait", (err) => s.failNow(err));
    start(s);
    if (!s.settled && scope) scope.addWaiter(s);
  });
}

/**
 * Waits at the back of `queue` (a primitive's FIFO of waiters): whoever ends the wait takes `s` from it, and a
 * cancellation removes it (`s.queue`).
 */
export function waitInQueue<T>(queue: Set<Suspension<T>>, label: WaitLabel): Promise<T> {
  return suspend<T>(
    (s) => {
      s.queue = queue;
      queue.add(s);
    },
    undefined,
    label,
  );
}

/**
 * The await of an operation that did not have to wait (a free lock, a queue with an item): resolves at once,
 * or, while a schedule is explored, is a schedule point where another task may run first.
 */
export function settledWait<T>(value: T, what: string): Promise<T> {
  if (!controlled.on) return Promise.resolve(value);
  return suspend<T>((s) => s.resolve(value), undefined, { kind: "wait", what });
}
