/**
 * The messages between the main thread and a pooled worker. The host side
 * (pool, runner) and the worker side (`src/concurrency/threading-worker/`) share only
 * this file.
 */
import type { SerializedError } from "../../errors";
import type { ShippedCall, ShippedData } from "../shipping/types";

/** What a worker is created with. */
export interface WorkerBoot {
  /** The thread registry's shared buffer. */
  registry: SharedArrayBuffer;
  /** The main thread's SPINDLE_TIME_SCALE. */
  timeScale: number;
  /** Modules to load at boot so the first thread does not wait for them. */
  preload: string[];
}

/** Identity of the thread a worker is about to run. */
export interface ThreadInfo {
  name: string;
  ident: number;
  slot: number;
  daemon: boolean;
  /** Shared word set to 1 when the thread has finished (lets other threads join it). */
  done: SharedArrayBuffer;
}

/** Main → worker. */
export type ToWorker = { type: "run"; runId: number; thread: ThreadInfo; call: ShippedCall };

/** Worker → main. */
export type FromWorker =
  | { type: "out"; stream: "stdout" | "stderr"; text: string }
  | {
      type: "done";
      runId: number;
      /** Set when the target threw (or rejected). */
      error?: SerializedError;
      /** A Thread subclass instance's own fields after run(), copied back (Python's `t.result`). */
      fields?: Array<[string, ShippedData]>;
      /** False when the target left timers or handles behind: the worker must not be reused. */
      reusable: boolean;
    }
  /** Shipping failed on the far side (a module failed to load, …): reported like a thread error. */
  | { type: "boot-error"; error: SerializedError };
