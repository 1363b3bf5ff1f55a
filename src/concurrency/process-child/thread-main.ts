/** Entry point of a ThreadPool worker thread: the same runtime as a child process, over the worker port. */
import { parentPort, workerData } from "node:worker_threads";
import { captureOutput } from "./capture";
import { startRuntime, type ParentPort } from "./runtime";

const up = parentPort;
if (!up) throw new Error("spindle thread runtime must run in a worker thread");
const port: ParentPort = {
  send(msg, flushed) {
    up.postMessage(msg);
    flushed?.();
  },
  onMessage(cb) {
    up.on("message", cb);
  },
};
captureOutput((msg) => port.send(msg));
startRuntime(port, "thread", (workerData as { parentPid: number }).parentPid, (code) => process.exit(code));
