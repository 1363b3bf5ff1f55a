/**
 * Main-thread side of the interrupt watchdog (see watchdog-thread.ts).
 */
import path from "node:path";
import { Worker } from "node:worker_threads";
import { currentCell } from "../../runtime/cell-context";
import { WATCHDOG_FLAGS } from "./watchdog-flags";

const SPINDLE_ROOT = path.resolve(__dirname, "..", "..", "..", "..");

interface AsyncWrapBinding {
  clearAsyncIdStack(): void;
}

/** What the watchdog can ask of the main thread. */
export interface WatchdogHooks {
  /** Interrupt cell `target` (a request id; "" when the kernel was idle), on the main thread's event loop. */
  onInterrupt(target: string | undefined): void;
  /** Send batched output now (runs on top of whatever the main thread is doing). */
  flushOutput(): void;
  /** The slot where the output batcher keeps the time text started waiting. */
  pendingOutput(slot: Int32Array): void;
}

/** Starts the watchdog thread reading interrupts from `fd`. */
export function startWatchdog(fd: number, hooks: WatchdogHooks): Worker {
  const state = new SharedArrayBuffer(WATCHDOG_FLAGS.words * 4);
  const flags = new Int32Array(state);
  hooks.pendingOutput(new Int32Array(state, WATCHDOG_FLAGS.pendingSince * 4, 1));
  installPrepareTerminate();
  (globalThis as Record<symbol, unknown>)[Symbol.for("spindle.flushOutput")] = (): void => hooks.flushOutput();
  const worker = new Worker(path.join(__dirname, "watchdog-thread.js"), { workerData: { fd, state } });
  worker.on("message", (msg: { type?: string; target?: string }) => {
    if (msg.type !== "interrupt") return;
    Atomics.store(flags, WATCHDOG_FLAGS.ack, 1);
    Atomics.notify(flags, WATCHDOG_FLAGS.ack);
    hooks.onInterrupt(msg.target);
  });
  worker.on("error", (err) => process.stderr.write(`spindle executor: watchdog failed: ${String(err)}\n`));
  worker.unref();
  return worker;
}

/**
 * Called by the watchdog (through the inspector, on top of whatever the main
 * thread is running) to decide whether terminating is safe: only when user
 * code is on the stack. Before terminating it clears Node's async-context id
 * stack, which termination would otherwise leave unbalanced (Node aborts the
 * process when it finds it corrupted).
 */
function installPrepareTerminate(): void {
  const binding = asyncWrap();
  const key = Symbol.for("spindle.prepareTerminate");
  (globalThis as Record<symbol, unknown>)[key] = (target: string | null): string => {
    // Only the cell the interrupt names may be ended (the kernel names the request it waits for).
    if (target !== null && currentCell()?.id !== target) return "other";
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 200;
    const stack = new Error().stack ?? "";
    Error.stackTraceLimit = limit;
    if (!isUserStack(stack)) return "internal";
    binding?.clearAsyncIdStack();
    return "user";
  };
}

/** True when a frame of `stack` is user code: a cell, or a file outside Spindle and Node. */
export function isUserStack(stack: string): boolean {
  for (const line of stack.split("\n").slice(1)) {
    if (!/^\s+at /.test(line)) continue;
    if (line.includes("cell[")) return true;
    const file = /\(?((?:\/|[A-Za-z]:\\)[^:()]+):\d+:\d+\)?$/.exec(line)?.[1];
    if (file && !file.startsWith(SPINDLE_ROOT)) return true;
  }
  return false;
}

function asyncWrap(): AsyncWrapBinding | undefined {
  const quiet = process.noDeprecation;
  process.noDeprecation = true;
  try {
    return (process as unknown as { binding(name: string): AsyncWrapBinding }).binding("async_wrap");
  } catch {
    return undefined;
  } finally {
    process.noDeprecation = quiet;
  }
}
