/**
 * Warm-up in idle time. Once a notebook's cells import Spindle's threads, the
 * executor, when it has been idle for a moment after a cell, boots one worker
 * thread and pays code shipping's one-time costs (the inspector session), so
 * the next `Thread.start()` takes a warm worker (a few ms, where a cold one
 * boots in 50–150 ms). Never while a cell runs, once per executor, and not at
 * all for notebooks that do not use threads (a warm worker costs memory).
 */
import { cellStarting } from "../../runtime/spare-release";

const IDLE_MS = 300;
const USES_THREADS = /["']spindle\/threading["']/;

let wanted = false;
let done = false;
let running = 0;
let timer: NodeJS.Timeout | undefined;

/** A cell with this code starts running: a pending warm-up waits for the next idle moment. */
export function cellStarted(code: string): void {
  running++;
  cellStarting(); // spares let go while the notebook sat idle boot again now
  if (USES_THREADS.test(code)) wanted = true;
  if (timer) clearTimeout(timer);
  timer = undefined;
}

/** A cell finished: when nothing else runs for IDLE_MS, warm up (once, and only for notebooks that use threads). */
export function cellEnded(): void {
  running = Math.max(0, running - 1);
  if (!wanted || done || running > 0) return;
  timer = setTimeout(() => {
    timer = undefined;
    if (running > 0 || done) return;
    done = true;
    // Loaded here, not at start: an executor whose cells never use threads never loads them for this.
    const threading = require("../../concurrency/threading") as typeof import("../../concurrency/threading");
    threading.prewarmThreads(1);
  }, IDLE_MS);
  timer.unref();
}
