/**
 * Under Node's permission model (the grading sandbox's fallback), a worker
 * thread started with `execArgv: []` runs without the model — a way out for a
 * cell. This replaces `worker_threads.Worker` with a constructor that always
 * lets workers inherit the process's flags, and makes every path back to the
 * original (the export, `prototype.constructor`) lead to the replacement.
 */
import { syncBuiltinESMExports } from "node:module";
import * as workerThreads from "node:worker_threads";

/** Installs the guard when the permission model is on; a no-op otherwise. */
export function guardWorkersUnderPermission(): void {
  if (!(process as { permission?: unknown }).permission) return;
  const Original = workerThreads.Worker;
  const Guarded = function Worker(filename: string | URL, options?: import("node:worker_threads").WorkerOptions) {
    if (new.target === undefined) throw new TypeError("Class constructor Worker cannot be invoked without 'new'");
    return new Original(filename, options === undefined ? undefined : { ...options, execArgv: undefined });
  } as unknown as typeof Original;
  Object.defineProperty(Guarded, "prototype", { value: Original.prototype, writable: false });
  Object.defineProperty(Original.prototype, "constructor", { value: Guarded, writable: false, configurable: false });
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const exportsObject = require("node:worker_threads") as Record<string, unknown>;
  Object.defineProperty(exportsObject, "Worker", {
    value: Guarded,
    writable: false,
    configurable: false,
    enumerable: true,
  });
  syncBuiltinESMExports();
}
