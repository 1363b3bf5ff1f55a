/**
 * The main-thread side of a running Thread: ships its call to a pooled
 * worker, writes its output under the cell that started it, reports its
 * failure like Python's excepthook, copies a subclass's fields back, and
 * stops it (freeing the locks it held) on interrupt or shutdown.
 */
import { currentCell, writeStream } from "../../runtime/cell-context";
import { deserializeError } from "../../errors";
import { packCall } from "../shipping/pack";
import { unpackValue } from "../shipping/unpack";
import { allocateThread, releaseThread } from "../shared/registry";
import { freeLocksOf } from "../shared/mutex";
import { pool, sendRun } from "./pool";
import type { FromWorker } from "./messages";
import { THREAD_STATE, type ThreadState } from "./thread-state";
import { trackAlive } from "./current";
import { reportThreadException } from "./excepthook";
import { nameLock, watchDeadlocks, forgetThreadName, rememberThreadName } from "./deadlock";
import type { Thread } from "./thread";
import { exploring, Op, point, Prim, registerThread } from "../shared/schedule";

let nextRunId = 1;

/** Statistics of the last start (for benchmarks): whether the worker was warm. */
export const lastStart = { cold: false };

/** Threads started under the explorer's control, with their failures (read by `spindle/explore`). */
export const controlled = { threads: [] as Thread[], errors: new Map<Thread, unknown>() };

/** Ships `thread`'s call to a worker and runs it. Throws (before anything starts) if shipping fails. */
export function startThread(thread: Thread, subclassRun: boolean): void {
  const state: ThreadState = thread[THREAD_STATE];
  const what = `Thread '${state.name}'${subclassRun ? ` (${thread.constructor.name}.run)` : ""}`;
  if (!subclassRun && !state.target) {
    // Python's Thread() with no target runs nothing and ends at once.
    state.started = true;
    finish(state, thread);
    return;
  }
  const call = packCall(
    subclassRun ? thread : state.target!,
    subclassRun ? [] : state.args,
    subclassRun ? undefined : state.kwargs,
    {
      for: "thread",
      method: subclassRun ? "run" : undefined,
      what,
      onRef: nameLock,
    },
  );
  const { ident, slot } = allocateThread();
  const index = exploring() ? registerThread(ident) : -1;
  if (index >= 0) controlled.threads.push(thread);
  const cell = currentCell();
  const { pw, cold } = pool.take();
  lastStart.cold = cold;
  state.started = true;
  state.ident = ident;
  state.nativeId = pw.worker.threadId;
  trackAlive(thread, true);
  rememberThreadName(ident, state.name, cell);
  if (state.daemon) pw.worker.unref();
  else pw.worker.ref();

  let ended = false;
  const cleanUp = () => {
    untrack?.();
    releaseThread(slot);
    forgetThreadName(ident);
    finish(state, thread);
  };
  const end = (reusable: boolean) => {
    if (ended) return;
    ended = true;
    pw.onDeath = undefined;
    if (reusable) pool.give(pw);
    else void pool.discard(pw);
    cleanUp();
  };
  // A stopped thread's locks are freed only once its worker is gone: freed earlier, a waiter inside it
  // could wake and take the lock again just before it dies.
  const stop = async (note: string) => {
    if (ended) return;
    ended = true;
    pw.onDeath = undefined;
    pw.listener = undefined;
    writeStream("stderr", note, cell);
    await pool.discard(pw);
    freeLocksOf(ident);
    cleanUp();
  };
  pw.listener = (msg: FromWorker) => {
    // A controlled thread runs once per explored schedule: its output would be repeated hundreds of times.
    if (msg.type === "out") {
      if (index < 0) writeStream(msg.stream, msg.text, cell);
    } else if (msg.type === "done") {
      if (msg.fields) copyFields(thread, msg.fields);
      if (msg.error && index >= 0) controlled.errors.set(thread, deserializeError(msg.error));
      else if (msg.error) reportThreadException(thread, deserializeError(msg.error), cell);
      end(msg.reusable);
    }
  };
  pw.onDeath = (reason) => void stop(`Thread '${state.name}' ended abnormally: ${reason}.\n`);
  const untrack = cell?.track({
    interrupt: () => stop(`Thread '${state.name}' was stopped by the interrupt; the locks it held were released.\n`),
  });
  if (!state.daemon) cell?.hold(state.finishedPromise);
  sendRun(pw, {
    type: "run",
    runId: nextRunId++,
    thread: { name: state.name, ident, slot, daemon: state.daemon, done: state.done.buffer as SharedArrayBuffer },
    call,
  });
  if (index >= 0) point(Op.Start, Prim.Thread, index);
  else watchDeadlocks();
}

function finish(state: ThreadState, thread: Thread): void {
  if (state.finished) return;
  state.finished = true;
  Atomics.store(state.done, 0, 1);
  Atomics.notify(state.done, 0);
  trackAlive(thread, false);
  state.markFinished();
}

/** Python's `t.result` after join: a subclass's plain-data fields come back from the worker. */
function copyFields(thread: Thread, fields: Array<[string, Parameters<typeof unpackValue>[0]]>): void {
  for (const [key, data] of fields) {
    try {
      (thread as unknown as Record<string, unknown>)[key] = unpackValue(data);
    } catch {
      // A field that cannot be rebuilt here keeps its old value.
    }
  }
}
