/**
 * The child runtime proper, loaded by main.ts once it knows the parent is
 * alive: reports ready and waits to be told to run a Process or serve a pool.
 */
import type { ToChild } from "../multiprocessing/messages";
import type { Batch } from "../multiprocessing/outbox";
import { openParentPort } from "./parent-port";
import { startRuntime } from "./runtime";
import { attachTimelineToParent } from "../../recorder/process-link";
import { rehearse } from "./rehearsal";

/** Boots the runtime over this process's IPC channel to `parentPid`. */
export function boot(parentPid: number): void {
  const send = process.send?.bind(process);
  if (!send) {
    process.stderr.write(
      "spindle child runtime: started without an IPC channel; it is only started by spindle/multiprocessing.\n",
    );
    process.exit(2);
  }
  const port = openParentPort(
    (msg, flushed) => {
      if (process.connected) send(msg, undefined, {}, flushed ? () => flushed() : undefined);
      else flushed?.();
    },
    (handler) => process.on("message", (m: ToChild | Batch<ToChild>) => handler(m)),
  );
  attachTimelineToParent(); // follows the parent's timeline recording; the lane is named when a task arrives
  startRuntime(port, "process", parentPid, (code) => process.exit(code));
  // Once ready, while waiting for work: the first start then runs compiled unpacking code.
  setImmediate(rehearse);
}
