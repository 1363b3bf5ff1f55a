/**
 * What the pool engine needs from a worker, whatever it is: a child process
 * or a worker thread. Both run the same child runtime (multiprocessing-child/).
 */
import { Worker } from "node:worker_threads";
import { join } from "node:path";
import { writeStream, type CellContext } from "../../../runtime/cell-context";
import { workerResourceLimits } from "../../../runtime/resources";
import { dropCaller, isObjectMessage, newCaller, serveMessage } from "../hub";
import type { ToChild, ToParent } from "../messages";
import { Outbox, unbatch, type Batch } from "../outbox";
import type { ExitInfo } from "../spawn/child-handle";
import { takeChild } from "../spawn/spares";

/** One pool worker as the engine sees it. */
export interface PoolWorker {
  /** pid (process) or thread id (thread), for messages. */
  readonly id: number;
  /** Sends `msg`, or lets `fold` take it into the last message still queued for this worker. */
  send(msg: ToChild, fold?: (last: ToChild) => boolean): void;
  /** Task results and other runtime messages. */
  onMessage: (msg: ToParent) => void;
  /** Resolves when the worker has ended. */
  readonly exited: Promise<ExitInfo>;
  /** Where output goes (the cell that created the pool). */
  cell: CellContext | undefined;
  /** Keeps a plain script alive while work is outstanding. */
  setRef(ref: boolean): void;
  /** Ends the worker at once. */
  kill(): void;
}

/** Makes workers of one kind. */
export type WorkerFactory = () => PoolWorker;

/** Pool workers on child processes (warm spares when available). */
export const processWorkers: WorkerFactory = () => {
  const child = takeChild();
  child.setRef(false);
  const w: PoolWorker = {
    id: child.pid,
    send: (m, fold) => child.send(m, fold),
    onMessage: () => undefined,
    exited: child.exited,
    get cell() {
      return child.cell;
    },
    set cell(c) {
      child.cell = c;
    },
    setRef: (r) => child.setRef(r),
    kill: () => child.signal("SIGKILL"),
  };
  child.onMessage = (m) => w.onMessage(m);
  return w;
};

const THREAD_MAIN = join(__dirname, "..", "..", "multiprocessing-child", "thread-main.js");

/** Pool workers on worker threads (ThreadPool). */
export const threadWorkers: WorkerFactory = () => {
  const worker = new Worker(THREAD_MAIN, {
    workerData: { parentPid: process.pid },
    stdout: false,
    stderr: false,
    resourceLimits: workerResourceLimits(),
  });
  const caller = newCaller();
  let exitInfo: ExitInfo | undefined;
  const outbox = new Outbox<ToChild>((m) => {
    if (!exitInfo) worker.postMessage(m);
  });
  const w: PoolWorker = {
    id: worker.threadId,
    send: (m, fold) => {
      if (!fold || !outbox.fold(fold)) outbox.push(m);
    },
    onMessage: () => undefined,
    exited: new Promise((resolve) =>
      worker.once("exit", (code) => {
        exitInfo = { exitCode: code, signal: null };
        dropCaller(caller);
        resolve(exitInfo);
      }),
    ),
    cell: undefined,
    setRef: (r) => (r ? worker.ref() : worker.unref()),
    kill: () => void worker.terminate(),
  };
  worker.on("error", (err) =>
    writeStream("stderr", `ThreadPool worker ${w.id} failed: ${err.stack ?? String(err)}\n`, w.cell),
  );
  worker.on("message", (raw: ToParent | Batch<ToParent>) =>
    unbatch(raw, (msg) => {
      if (msg.t === "out") writeStream(msg.name, msg.text, w.cell);
      else if (isObjectMessage(msg)) serveMessage(msg, caller, (m) => w.send(m));
      else if (msg.t !== "ready") w.onMessage(msg);
    }),
  );
  return w;
};
