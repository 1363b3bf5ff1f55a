/**
 * At the permission level (Node's permission model, no namespaces) a cell can
 * see other processes; run by a non-root teacher it could signal the grader.
 * Preloaded (`node -r`) into the executor and every worker thread it starts,
 * this lets `process.kill` reach only the executor's own process: any other
 * pid fails with EPERM, as if it belonged to another user. Signal 0 (does the
 * process exist?) goes through: it does nothing, `/proc` shows the same at
 * this level, and a Spindle child checks its parent with it.
 */

/** libuv's EPERM, what the raw kill returns for a process we may not signal. */
const UV_EPERM = -1;

/** Signals refused on this thread so far (the grader voids and flags a submission that tried). */
let refused = 0;

/** How many signals to other processes this thread's guard refused. */
export function refusedSignals(): number {
  return refused;
}

/** Installs the guard on this thread's `process` (idempotent). */
export function guardKill(): void {
  const proc = process as unknown as { _kill?: (pid: number, sig: number) => number };
  const raw = proc._kill;
  if (typeof raw !== "function" || Object.getOwnPropertyDescriptor(proc, "_kill")?.configurable === false) return;
  const self = process.pid;
  const guarded = (pid: number, sig: number): number => {
    if (Number(pid) === self || sig === 0) return raw.call(process, pid, sig);
    refused++;
    return UV_EPERM;
  };
  Object.defineProperty(proc, "_kill", { value: guarded, writable: false, configurable: false, enumerable: false });
  // process.kill calls process._kill; pin it too, so a cell cannot swap in a copy that bypasses the guard.
  Object.defineProperty(process, "kill", {
    value: process.kill,
    writable: false,
    configurable: false,
    enumerable: true,
  });
}

if ((process as { permission?: unknown }).permission) guardKill();
