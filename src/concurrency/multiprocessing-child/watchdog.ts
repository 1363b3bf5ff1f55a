/**
 * No orphans: a tiny worker thread checks every 200 ms whether the parent is
 * still this process's parent and kills the process at once if not — even
 * while user code blocks the main thread in a CPU-bound loop, where the IPC
 * 'disconnect' event (the fast path, in main.ts) cannot fire.
 */
import { Worker } from "node:worker_threads";

const source = `
const { workerData } = require("node:worker_threads");
const parent = workerData.parent;
setInterval(() => {
  let alive = true;
  try { process.kill(parent, 0); } catch { alive = false; }
  if (!alive || process.ppid !== parent) process.kill(process.pid, "SIGKILL");
}, 200);
`;

/** Starts the watchdog for parent pid `parent`. */
export function startWatchdog(parent: number): void {
  const w = new Worker(source, { eval: true, workerData: { parent }, stdout: false, stderr: false });
  w.unref();
}
