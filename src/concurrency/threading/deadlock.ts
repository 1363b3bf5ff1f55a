/**
 * Deadlock detection. Every thread records in shared memory which lock it is
 * waiting for, and every lock records its owner; while threads are alive the
 * main thread reads that wait-for graph four times a second. A cycle seen on
 * two reads in a row is reported once, as rich output under the cell that
 * started the threads: who holds what, who waits for what, and what to do.
 */
import type { CellContext } from "../../runtime/cell-context";
import { MAIN_IDENT, waitingThreads, WaitKind } from "../shared/registry";
import { ownerOf } from "../shared/mutex";
import { escapeXml as esc } from "../../display/escape";
import { activeCount } from "./current";
import { Lock } from "./lock";
import { RLock } from "./rlock";

const INTERVAL_MS = 250;

/** One thread caught in a deadlock. */
export interface DeadlockedThread {
  ident: number;
  name: string;
  /** The lock this thread holds that the previous thread in the cycle waits for. */
  holds: string;
  /** The lock this thread waits for. */
  waitsFor: string;
}

/** A detected deadlock. */
export interface DeadlockReport {
  threads: DeadlockedThread[];
  text: string;
  html: string;
}

const threadNames = new Map<number, { name: string; cell: CellContext | undefined }>();
const lockNames = new Map<number, string>();
const listeners = new Set<(report: DeadlockReport) => void>();
let timer: NodeJS.Timeout | undefined;
let seenOnce = new Set<string>();
const reported = new Set<string>();

/** @internal Remembers a started thread's name and cell (for reports). */
export function rememberThreadName(ident: number, name: string, cell: CellContext | undefined): void {
  threadNames.set(ident, { name, cell });
}

/** @internal Forgets a finished thread. */
export function forgetThreadName(ident: number): void {
  threadNames.delete(ident);
}

/** @internal Shipping hook: a lock handed to a thread as `lock1` is called "lock1" in reports. */
export function nameLock(value: object, path: string): void {
  if (!(value instanceof Lock || value instanceof RLock)) return;
  const current = lockNames.get(value.id);
  const nice = !/[[\].]/.test(path);
  if (current === undefined || (nice && /[[\].]/.test(current))) lockNames.set(value.id, path);
}

/** Calls `fn` with every deadlock report (tests, tools); returns a function that stops it. */
export function onDeadlock(fn: (report: DeadlockReport) => void): () => void {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

/** Starts watching for deadlocks while threads are alive. */
export function watchDeadlocks(): void {
  if (timer) return;
  timer = setInterval(check, INTERVAL_MS);
  timer.unref();
}

/** The wait-for graph as it is now: who waits for which lock, held by whom. */
function waitForGraph(): Map<number, { lock: number; owner: number }> {
  const next = new Map<number, { lock: number; owner: number }>();
  for (const w of waitingThreads()) {
    if (w.kind !== WaitKind.Lock) continue;
    const owner = ownerOf(w.waitingFor);
    if (owner !== 0) next.set(w.ident, { lock: w.waitingFor, owner });
  }
  return next;
}

/**
 * @internal The report of a lock cycle in the wait-for graph as it is now (the explorer's deadlocks), not
 * shown; with `among`, only a cycle through one of those threads (another, older deadlock may still stand).
 */
export function describeDeadlock(among?: readonly number[]): DeadlockReport | undefined {
  const next = waitForGraph();
  const cycle = cyclesOf(next).find((c) => among === undefined || c.some((ident) => among.includes(ident)));
  return cycle ? buildReport(cycle, next) : undefined;
}

/** @internal The name a lock is shown by: the variable a thread received it as, else `lock #id`. */
export function lockName(id: number): string {
  return lockNames.get(id) ?? `lock #${id}`;
}

function check(): void {
  if (activeCount() <= 1) {
    clearInterval(timer);
    timer = undefined;
    seenOnce.clear();
    reported.clear();
    return;
  }
  const next = waitForGraph();
  const seenNow = new Set<string>();
  for (const cycle of cyclesOf(next)) {
    const key = cycle
      .map((i) => `${i}:${next.get(i)!.lock}`)
      .sort()
      .join(",");
    seenNow.add(key);
    if (seenOnce.has(key) && !reported.has(key)) {
      reported.add(key);
      report(cycle, next);
    }
  }
  for (const key of reported) if (!seenNow.has(key)) reported.delete(key);
  seenOnce = seenNow;
}

/** Cycles of a graph where each thread waits for at most one other. */
function cyclesOf(next: Map<number, { owner: number }>): number[][] {
  const done = new Set<number>();
  const cycles: number[][] = [];
  for (const start of next.keys()) {
    const path: number[] = [];
    let node: number | undefined = start;
    while (node !== undefined && !done.has(node) && !path.includes(node)) {
      path.push(node);
      node = next.get(node)?.owner;
    }
    if (node !== undefined && path.includes(node)) cycles.push(path.slice(path.indexOf(node)));
    for (const p of path) done.add(p);
  }
  return cycles;
}

function threadName(ident: number): string {
  return ident === MAIN_IDENT ? "MainThread" : (threadNames.get(ident)?.name ?? `thread ${ident}`);
}

function report(cycle: number[], next: Map<number, { lock: number; owner: number }>): void {
  const result = buildReport(cycle, next);
  for (const fn of listeners) fn(result);
  const cell = cycle.map((i) => threadNames.get(i)?.cell).find((c) => c !== undefined);
  if (cell) cell.sink.display({ data: { "text/plain": result.text, "text/html": result.html }, metadata: {} }, false);
  else process.stderr.write(result.text);
}

function buildReport(cycle: number[], next: Map<number, { lock: number; owner: number }>): DeadlockReport {
  const threads: DeadlockedThread[] = cycle.map((ident, i) => {
    const prev = cycle[(i + cycle.length - 1) % cycle.length] ?? ident;
    return {
      ident,
      name: threadName(ident),
      holds: lockName(next.get(prev)!.lock),
      waitsFor: lockName(next.get(ident)!.lock),
    };
  });
  const lines = threads.map((t) => `  ${t.name} holds ${t.holds} and waits for ${t.waitsFor}`);
  const advice =
    threads.length === 1
      ? "A Lock is not re-entrant: the thread waits for a lock it already holds. Use an RLock, or release before acquiring again."
      : "Each waits for a lock another one holds, so none can go on. Fix: make every thread take the locks in the same order.";
  const text = `Deadlock detected:\n${lines.join("\n")}\n${advice}\nInterrupt the kernel to stop these threads (the locks they hold are released).\n`;
  const rows = threads
    .map(
      (t) =>
        `<tr><td>${esc(t.name)}</td><td><code>${esc(t.holds)}</code></td><td><code>${esc(t.waitsFor)}</code></td></tr>`,
    )
    .join("");
  const html =
    `<div class="spindle-deadlock"><p><strong>Deadlock detected</strong></p>` +
    `<table><thead><tr><th>thread</th><th>holds</th><th>waits for</th></tr></thead><tbody>${rows}</tbody></table>` +
    `<p>${esc(advice)}</p><p>Interrupt the kernel to stop these threads (the locks they hold are released).</p></div>`;
  return { threads, text, html };
}
