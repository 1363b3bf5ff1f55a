/**
 * `Thread`: Python's `threading.Thread` on a real worker thread. The target
 * (or a subclass's `run`) travels to a warm worker as source, with what it
 * uses; see docs/threading.md for the rules. `start()` is synchronous and
 * fast; `join()` is awaited on the main thread.
 */
import { isMainThread } from "node:worker_threads";
import { registerRefKind, shipRef, ShippingError, type RefData, type ShipRefContext } from "../shipping";
import { deadlineOf, mayBlock, remainingMs, waitAsync, waitBlocking } from "../shared/futex";
import { exploring, Op, point, pointAsync, Prim } from "../shared/schedule";
import { MAIN_IDENT } from "../shared/registry";
import { localObject } from "../shared/identity";
import { RuntimeError, WouldBlockError } from "./errors";
import { attachState, defaultThreadName, newThreadState, THREAD_STATE, type ThreadState } from "./thread-state";
import { currentThread, setMainThreadFactory } from "./current";
import { startThread } from "./runner";
import { traceSpan, traceSpanEnd } from "../shared/trace";

const KIND = "spindle.Thread";

/** Options of `new Thread(options)` (Python's keyword arguments). */
export interface ThreadOptions {
  /** The function to run in the thread (called as `target(...args, kwargs)` when kwargs is given). */
  target?: (...args: never[]) => unknown;
  /** Arguments for `target` (they travel by the shipping rules: data copied, primitives by reference). */
  args?: readonly unknown[];
  /** Python's keyword arguments: passed to `target` as one last argument. */
  kwargs?: Record<string, unknown>;
  /** The thread's name (default `Thread-N (target)`). */
  name?: string;
  /** A daemon thread does not keep its cell running and is stopped at shutdown (default: the creator's). */
  daemon?: boolean;
}

interface ThreadData {
  name: string;
  ident: number;
  daemon: boolean;
  done: SharedArrayBuffer;
}

/** A thread of execution on its own worker thread (CPU-bound work runs in parallel). */
export class Thread {
  declare readonly [THREAD_STATE]: ThreadState;

  /** Creates a thread; call `start()` to run it. */
  constructor(options: ThreadOptions = {}) {
    const daemon = options.daemon ?? (isMainThread ? false : currentThread().daemon);
    const state = newThreadState(options.name ?? defaultThreadName(options.target), daemon);
    state.target = options.target;
    state.args = [...(options.args ?? [])];
    state.kwargs = options.kwargs;
    attachState(this, state);
  }

  /** The thread's name (settable, as in Python). */
  get name(): string {
    return this[THREAD_STATE].name;
  }
  set name(value: string) {
    this[THREAD_STATE].name = String(value);
  }

  /** Python's thread identifier: a positive integer once started (1 is the main thread), else undefined. */
  get ident(): number | undefined {
    return this[THREAD_STATE].ident;
  }

  /** Node's `threadId` of the worker running this thread, once started. */
  get nativeId(): number | undefined {
    return this[THREAD_STATE].nativeId;
  }

  /** Whether this is a daemon thread; can only be changed before `start()`. */
  get daemon(): boolean {
    return this[THREAD_STATE].daemon;
  }
  set daemon(value: boolean) {
    if (this[THREAD_STATE].started) {
      throw new RuntimeError(
        "cannot set daemon status of active thread: set daemon before start().",
        "ERR_SPINDLE_THREAD_STARTED",
      );
    }
    this[THREAD_STATE].daemon = Boolean(value);
  }

  /** Starts the thread: `run()` runs on a worker thread. Throws at once if the target cannot be shipped. */
  start(): void {
    const state = this[THREAD_STATE];
    if (state.started)
      throw new RuntimeError("threads can only be started once; create a new Thread.", "ERR_SPINDLE_THREAD_STARTED");
    if (state.remote || !isMainThread) {
      throw new RuntimeError(
        "Starting a Thread from inside a thread is not supported; start every thread from the main thread (pass work to them through a Queue).",
        "ERR_SPINDLE_NESTED_THREAD",
      );
    }
    startThread(this, this.run !== Thread.prototype.run);
  }

  /** What the thread does: calls `target(...args, kwargs)`. Override it in a subclass (then `target` is not used). */
  run(): unknown {
    const state = this[THREAD_STATE];
    if (!state.target) return undefined;
    const args = state.kwargs === undefined ? state.args : [...state.args, state.kwargs];
    return (state.target as (...a: unknown[]) => unknown)(...args);
  }

  /**
   * Waits until the thread ends, or until `timeout` seconds (scaled by SPINDLE_TIME_SCALE) pass; resolves
   * either way (check `isAlive()`), like Python. A thread that failed does not make join throw.
   */
  async join(timeout?: number | null): Promise<void> {
    const state = checkJoin(this);
    const deadline = deadlineOf(timeout, "Thread.join timeout");
    if (mayBlock) {
      joinBlocking(state, deadline);
      return;
    }
    if (exploring()) return joinExplored(state, deadline);
    const span = traceSpan("wait", `join ${state.name}`); // hatched on a recorded timeline
    try {
      if (deadline === Infinity) return await state.finishedPromise;
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        state.finishedPromise,
        new Promise<void>((resolve) => (timer = setTimeout(resolve, remainingMs(deadline)))),
      ]);
      clearTimeout(timer);
    } finally {
      traceSpanEnd(span, "wake");
    }
  }

  /** Blocking `join` for code inside a thread. */
  joinSync(timeout?: number | null): void {
    const state = checkJoin(this);
    if (!mayBlock) throw new WouldBlockError("Thread.joinSync()", "await t.join()");
    joinBlocking(state, deadlineOf(timeout, "Thread.joinSync timeout"));
  }

  /** True from `start()` until the thread's `run()` has ended. */
  isAlive(): boolean {
    const state = this[THREAD_STATE];
    if (state.remote) return state.ident === MAIN_IDENT || Atomics.load(state.done, 0) === 0;
    return state.started && !state.finished;
  }

  /** Python's repr: `<Thread(Thread-1 (work), started 3)>`. */
  toString(): string {
    const s = this[THREAD_STATE];
    const status = !s.started ? "initial" : this.isAlive() ? "started" : "stopped";
    return `<${this.constructor.name}(${s.name}, ${status}${s.ident !== undefined ? ` ${s.ident}` : ""}${s.daemon ? " daemon" : ""})>`;
  }

  /** @internal Another thread gets a handle it can join. */
  [shipRef](ctx: ShipRefContext): RefData {
    const s = this[THREAD_STATE];
    if (ctx.dest === "process") {
      throw new ShippingError(
        `'${ctx.path}' is a Thread, which cannot be sent to another process.`,
        "ERR_SPINDLE_SHIP_UNCLONEABLE",
      );
    }
    if (s.ident === undefined) {
      throw new ShippingError(
        `'${ctx.path}' is a Thread that has not started; start it before handing it to another thread.`,
        "ERR_SPINDLE_SHIP_UNCLONEABLE",
      );
    }
    const data: ThreadData = {
      name: s.name,
      ident: s.ident,
      daemon: s.daemon,
      done: s.done.buffer as SharedArrayBuffer,
    };
    return { kind: KIND, module: __filename, data };
  }
}

// Thread objects are also made with Object.create (the main thread's, handles in workers, a subclass
// instance rebuilt in its worker), so Thread has no #private members: these helpers stand in for them.
function checkJoin(thread: Thread): ThreadState {
  const state = thread[THREAD_STATE];
  if (!state.started)
    throw new RuntimeError("cannot join thread before it is started.", "ERR_SPINDLE_THREAD_NOT_STARTED");
  if (thread === currentThread())
    throw new RuntimeError("cannot join current thread: it would wait for itself forever.", "ERR_SPINDLE_JOIN_SELF");
  return state;
}

/** `join` on the main thread while a schedule is explored: a controlled wait on the thread's done word. */
async function joinExplored(state: ThreadState, deadline: number): Promise<void> {
  await pointAsync(Op.Join, Prim.Thread, state.ident ?? 0, waitAsync);
  const done = state.done;
  while (Atomics.load(done, 0) === 0) if (!(await waitAsync(done, 0, 0, deadline))) break;
}

function joinBlocking(state: ThreadState, deadline: number): void {
  point(Op.Join, Prim.Thread, state.ident ?? 0);
  const done = state.done;
  while (Atomics.load(done, 0) === 0) if (!waitBlocking(done, 0, 0, deadline)) break;
}

/** The main thread's Thread object. */
function makeMainThread(): Thread {
  const t = Object.create(Thread.prototype) as Thread;
  const state = newThreadState("MainThread", false);
  state.ident = MAIN_IDENT;
  state.started = true;
  state.remote = true;
  attachState(t, state);
  return t;
}
setMainThreadFactory(makeMainThread);

registerRefKind(KIND, (data: ThreadData) =>
  localObject(KIND, data.ident, () => {
    if (data.ident === MAIN_IDENT) return makeMainThread();
    const t = Object.create(Thread.prototype) as Thread;
    attachState(t, {
      ...newThreadState(data.name, data.daemon, data.done),
      ident: data.ident,
      started: true,
      remote: true,
    });
    return t;
  }),
);
