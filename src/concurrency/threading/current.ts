/**
 * Which thread is running: `currentThread()`, `mainThread()`, `activeCount()`,
 * `enumerate()`, `getIdent()`. The main thread knows every Thread it started;
 * a worker knows itself.
 */
import { isMainThread, threadId } from "node:worker_threads";
import { currentIdent, MAIN_IDENT } from "../shared/registry";
import type { Thread } from "./thread";

let workerCurrent: Thread | undefined;
let main: Thread | undefined;
let makeMain: (() => Thread) | undefined;
const alive = new Set<Thread>();

/** @internal Called by thread.ts to say how the MainThread object is made (avoids an import cycle). */
export function setMainThreadFactory(factory: () => Thread): void {
  makeMain = factory;
}

/** @internal The worker runtime says which Thread it is running now. */
export function setWorkerCurrentThread(thread: Thread | undefined): void {
  workerCurrent = thread;
}

/** @internal Bookkeeping of started, unfinished threads (main thread). */
export function trackAlive(thread: Thread, isAlive: boolean): void {
  if (isAlive) alive.add(thread);
  else alive.delete(thread);
}

/**
 * @internal Resolves once every started non-daemon thread has finished: a child process waits for them after its
 * target returns, as Python's interpreter does before it exits (daemon threads are cut off instead).
 */
export async function joinNonDaemonThreads(): Promise<void> {
  for (let left = [...alive].filter((t) => !t.daemon); left.length > 0; left = [...alive].filter((t) => !t.daemon)) {
    await Promise.all(left.map((t) => t.join()));
  }
}

/** The Thread object of the main thread (named "MainThread"). */
export function mainThread(): Thread {
  main ??= makeMain!();
  return main;
}

/** The Thread object of the calling thread (inside a Thread subclass's run(), that instance). */
export function currentThread(): Thread {
  if (isMainThread) return mainThread();
  return workerCurrent ?? mainThread();
}

/** How many threads are alive: the main thread plus every started, unfinished Thread. */
export function activeCount(): number {
  return 1 + alive.size;
}

/** The alive threads: the main thread first, then the others in start order (main thread's view). */
export function enumerate(): Thread[] {
  return isMainThread ? [mainThread(), ...alive] : [currentThread()];
}

/** The calling thread's ident (Python's `threading.get_ident()`); 1 on the main thread. */
export function getIdent(): number {
  return isMainThread ? MAIN_IDENT : currentIdent();
}

/** The operating system's… here Node's thread id of the calling thread (`worker_threads.threadId`; 0 on main). */
export function getNativeId(): number {
  return threadId;
}
