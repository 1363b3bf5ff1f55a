/**
 * `spindle kernel <connection_file>`: runs the kernel until a shutdown request,
 * SIGTERM/SIGHUP, or the death of the process that started it. SIGINT interrupts
 * the running cell, as it does for ipykernel.
 */
import { ExecutorHost } from "../executor/host";
import { readConnectionFile } from "../protocol";
import type { ExecutorFactory } from "./executor-link";
import { Kernel } from "./kernel";
import { createLogger } from "../system/log";
import { isAlive } from "../system/process-tree";

/** How often the kernel checks that the process that started it is alive. */
const PARENT_POLL_MS = 2000;

/** Runs the kernel described by `connectionFile`; resolves with the exit code when it has shut down. */
export async function runKernel(
  connectionFile: string,
  startExecutor: ExecutorFactory = (callbacks) => ExecutorHost.start(callbacks),
): Promise<number> {
  const log = createLogger("kernel");
  const connection = await readConnectionFile(connectionFile);
  const kernel = await Kernel.start({ connection, log, startExecutor });
  const onInterrupt = (): void => kernel.interrupt();
  const onTerminate = (signal: string) => (): void => {
    log.debug(`${signal}: shutting down`);
    void kernel.shutdown();
  };
  process.on("SIGINT", onInterrupt);
  process.on("SIGTERM", onTerminate("SIGTERM"));
  process.on("SIGHUP", onTerminate("SIGHUP"));
  const poll = watchParent(() => {
    log.warn("the process that started this kernel is gone; shutting down");
    void kernel.shutdown();
  });
  await kernel.done;
  clearInterval(poll);
  process.off("SIGINT", onInterrupt);
  return 0;
}

/** Calls `onGone` when this process is re-parented (its starter died) or JPY_PARENT_PID dies. */
function watchParent(onGone: () => void): NodeJS.Timeout {
  const originalParent = process.ppid;
  const jpyParent = Number(process.env.JPY_PARENT_PID) || undefined;
  const timer = setInterval(() => {
    if (process.ppid !== originalParent || (jpyParent !== undefined && !isAlive(jpyParent))) {
      clearInterval(timer);
      onGone();
    }
  }, PARENT_POLL_MS);
  timer.unref();
  return timer;
}
