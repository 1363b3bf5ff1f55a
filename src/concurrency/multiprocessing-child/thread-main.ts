/** Entry point of a ThreadPool worker thread: the same runtime as a child process, over the worker port. */
import { parentPort, workerData } from "node:worker_threads";
import { openParentPort } from "./parent-port";
import { startRuntime } from "./runtime";

const up = parentPort;
if (!up) throw new Error("spindle thread runtime must run in a worker thread");
const port = openParentPort(
  (msg, flushed) => {
    up.postMessage(msg);
    flushed?.();
  },
  (handler) => up.on("message", handler),
);
startRuntime(port, "thread", (workerData as { parentPid: number }).parentPid, (code) => process.exit(code));
