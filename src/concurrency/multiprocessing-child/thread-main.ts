/** Entry point of a ThreadPool worker thread: the same runtime as a child process, over the worker port. */
import { parentPort, workerData } from "node:worker_threads";
import type { ToChild, ToParent } from "../multiprocessing/messages";
import { Outbox, unbatch, type Batch } from "../multiprocessing/outbox";
import { captureOutput } from "./capture";
import { startRuntime, type ParentPort } from "./runtime";

const up = parentPort;
if (!up) throw new Error("spindle thread runtime must run in a worker thread");
const outbox = new Outbox<ToParent>((msg, flushed) => {
  up.postMessage(msg);
  flushed?.();
});
const port: ParentPort = {
  send(msg, flushed) {
    outbox.push(msg, msg.t === "out");
    if (flushed) outbox.flush(flushed);
  },
  fold: (fold) => outbox.fold(fold),
  onMessage(cb) {
    up.on("message", (m: ToChild | Batch<ToChild>) => unbatch(m, cb));
  },
};
captureOutput((msg) => port.send(msg));
startRuntime(port, "thread", (workerData as { parentPid: number }).parentPid, (code) => process.exit(code));
