/**
 * A Thread's bookkeeping, kept under a symbol (not an own enumerable field) so
 * that shipping a Thread subclass instance sends only the user's fields, and
 * so the worker can attach the same bookkeeping to the rebuilt instance.
 */

/** Symbol under which a Thread keeps its state. */
export const THREAD_STATE: unique symbol = Symbol("spindle.threadState");

/** Everything a Thread knows about itself. */
export interface ThreadState {
  name: string;
  daemon: boolean;
  ident: number | undefined;
  nativeId: number | undefined;
  started: boolean;
  finished: boolean;
  target: ((...args: never[]) => unknown) | undefined;
  args: unknown[];
  kwargs: unknown;
  /** Shared word: 1 once the thread has finished (any thread can wait on it). */
  done: Int32Array;
  /** Resolves when the thread has finished (main side). */
  finishedPromise: Promise<void>;
  markFinished: () => void;
  /** True for a handle on another thread's Thread (in a worker): it can be joined, not started. */
  remote: boolean;
}

/** A fresh state for a thread that has not started. */
export function newThreadState(name: string, daemon: boolean, done?: SharedArrayBuffer): ThreadState {
  let markFinished!: () => void;
  const finishedPromise = new Promise<void>((resolve) => (markFinished = resolve));
  return {
    name,
    daemon,
    ident: undefined,
    nativeId: undefined,
    started: false,
    finished: false,
    target: undefined,
    args: [],
    kwargs: undefined,
    done: new Int32Array(done ?? new SharedArrayBuffer(4)),
    finishedPromise,
    markFinished,
    remote: false,
  };
}

/** Attaches `state` to `obj` (non-enumerable, so it never travels as a field). */
export function attachState(obj: object, state: ThreadState): void {
  Object.defineProperty(obj, THREAD_STATE, { value: state, enumerable: false, configurable: true, writable: true });
}

let counter = 0;

/** @internal The explorer numbers threads alike in every schedule: it reads the count, then sets it back. */
export const threadNumbers = {
  get: (): number => counter,
  set: (n: number): void => void (counter = n),
};

/** Python's default names: `Thread-1 (work)` for a target, `Thread-1` otherwise. */
export function defaultThreadName(target: Function | undefined): string {
  counter++;
  return target?.name ? `Thread-${counter} (${target.name})` : `Thread-${counter}`;
}
