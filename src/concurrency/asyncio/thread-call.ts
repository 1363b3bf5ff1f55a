/**
 * One `toThread` call as a `spindle/threading` Thread: the function and its
 * arguments travel by the threading module's shipping rules, the worker
 * stores the outcome in a field, and `join()` copies it back.
 */
import { Thread } from "../threading/thread";
import { serializeError, type SerializedError } from "../../errors";

/** The outcome of a call, as copied back from the thread. */
export type CallOutcome = { ok: true; value: unknown } | { ok: false; error: SerializedError };

/** A thread that runs `fn(...args)` and keeps the outcome in `outcome` (exported so workers can load it). */
export class ThreadCall extends Thread {
  outcome: CallOutcome | undefined = undefined;

  /** Prepares the call; `start()` runs it on a worker. */
  constructor(
    readonly fn: (...args: never[]) => unknown,
    readonly callArgs: unknown[],
    name: string,
  ) {
    super({ name, daemon: false });
  }

  /** Runs on the worker: calls the function and records its result or error. */
  override async run(): Promise<void> {
    try {
      this.outcome = { ok: true, value: await (this.fn as (...a: unknown[]) => unknown)(...this.callArgs) };
    } catch (err) {
      this.outcome = { ok: false, error: serializeError(err) };
    }
  }
}
