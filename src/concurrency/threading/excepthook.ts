/**
 * What happens when a thread's code throws: as Python's `threading.excepthook`,
 * the failure is printed to stderr under the cell that started the thread,
 * with the thread's name and a stack trace in the user's own lines; the thread
 * ends, others go on, and `join()` does not throw.
 */
import { writeStream, type CellContext } from "../../runtime/cell-context";
import { mapStack } from "../shipping/stack";
import type { Thread } from "./thread";

/** What an excepthook receives (Python's `ExceptHookArgs`). */
export interface ExceptHookArgs {
  /** The error's class name, e.g. "RangeError". */
  excType: string;
  /** The error, rebuilt with its class, message, stack, code and own properties. */
  excValue: Error;
  /** The thread that failed. */
  thread: Thread;
}

/** A replacement for the default report. */
export type ExceptHook = (args: ExceptHookArgs) => void;

let hook: ExceptHook | undefined;

/** Replaces how thread failures are reported (Python: assigning `threading.excepthook`); undefined restores the default. */
export function setExcepthook(fn: ExceptHook | undefined): void {
  hook = fn;
}

/** Frames of Spindle's worker machinery say nothing to the user. */
function userStack(stack: string): string {
  return stack
    .split("\n")
    .filter((line) => !/^\s+at .*(\/concurrency\/worker\/|\/concurrency\/shipping\/unpack|node:internal)/.test(line))
    .join("\n");
}

/** Reports a thread's uncaught error (the hook, or a Python-style message on the cell's stderr). */
export function reportThreadException(thread: Thread, error: Error, cell: CellContext | undefined): void {
  if (hook) {
    try {
      hook({ excType: error.name, excValue: error, thread });
      return;
    } catch (err) {
      writeStream("stderr", `Exception in the threading excepthook:\n${String((err as Error)?.stack ?? err)}\n`, cell);
    }
  }
  const stack = error.stack ? mapStack(userStack(error.stack)) : `${error.name}: ${error.message}`;
  writeStream("stderr", `Exception in thread ${thread.name}:\n${stack}\n`, cell);
}
