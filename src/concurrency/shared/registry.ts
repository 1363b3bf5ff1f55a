/**
 * The process-wide table in shared memory that every Spindle thread sees:
 * thread identities and which lock each thread is waiting for. With the owner
 * each lock keeps in its own word (mutex.ts), it is what makes deadlock
 * detection possible without any message passing: the main thread reads the
 * wait-for graph straight from shared memory.
 *
 * The main thread creates it; each worker attaches to the same buffer at start.
 */
import { isMainThread } from "node:worker_threads";

/** Ident of the main thread (Python's `threading.get_ident()` of the main thread). */
export const MAIN_IDENT = 1;
/** Thread slots (threads alive at once, main included). */
export const MAX_THREADS = 256;

/** The table in 32-bit words: a header of counters, then one slot per thread. */
const TABLE = { nextIdent: 0, nextLock: 1, threadsAt: 16, slotWords: 4 } as const;
/** Words of one thread's slot: its ident, the lock-like id it waits for (0: none), and what kind that is. */
const SLOT = { ident: 0, waiting: 1, waitKind: 2 } as const;
const TOTAL_INTS = TABLE.threadsAt + MAX_THREADS * TABLE.slotWords;

/** What a waiting thread waits on, as recorded in its slot. */
export const WaitKind = { None: 0, Lock: 1, Other: 2 } as const;
/** One of the `WaitKind` values. */
export type WaitKind = (typeof WaitKind)[keyof typeof WaitKind];

let table: Int32Array | undefined;
let mySlot = 0;
let myIdent = MAIN_IDENT;

function slotAt(slot: number): number {
  return TABLE.threadsAt + slot * TABLE.slotWords;
}

function ints(): Int32Array {
  if (!table) {
    if (!isMainThread) throw new Error("Spindle's thread registry was used in a worker before it was attached");
    table = new Int32Array(new SharedArrayBuffer(TOTAL_INTS * 4));
    Atomics.store(table, TABLE.nextIdent, MAIN_IDENT + 1);
    Atomics.store(table, TABLE.nextLock, 1);
    Atomics.store(table, slotAt(0) + SLOT.ident, MAIN_IDENT);
  }
  return table;
}

/** The registry's buffer, to hand to a new worker. */
export function registryBuffer(): SharedArrayBuffer {
  return ints().buffer as SharedArrayBuffer;
}

/** Attaches a worker to the registry its creator made. */
export function attachRegistry(buffer: SharedArrayBuffer): void {
  table = new Int32Array(buffer);
}

/** Allocates a new thread ident and a free slot for it (main thread only). */
export function allocateThread(): { ident: number; slot: number } {
  const t = ints();
  const ident = Atomics.add(t, TABLE.nextIdent, 1);
  for (let slot = 1; slot < MAX_THREADS; slot++) {
    const at = slotAt(slot);
    if (Atomics.compareExchange(t, at + SLOT.ident, 0, ident) === 0) {
      Atomics.store(t, at + SLOT.waiting, 0);
      Atomics.store(t, at + SLOT.waitKind, WaitKind.None);
      return { ident, slot };
    }
  }
  return { ident, slot: -1 };
}

/** Frees a thread's slot when it ends. */
export function releaseThread(slot: number): void {
  if (slot <= 0) return;
  const at = slotAt(slot);
  Atomics.store(ints(), at + SLOT.waiting, 0);
  Atomics.store(ints(), at + SLOT.ident, 0);
}

/** Tells this thread (a worker running a Thread) who it is. */
export function setCurrentThread(ident: number, slot: number): void {
  myIdent = ident;
  mySlot = slot;
}

/** The ident of the thread running this code. */
export function currentIdent(): number {
  return myIdent;
}

/** A fresh id for a lock-like primitive (unique across threads). */
export function allocateLockId(): number {
  return Atomics.add(ints(), TABLE.nextLock, 1);
}

/** Records that this thread starts (id > 0) or stops (0) waiting for lock-like `id`. */
export function setWaiting(id: number, kind: WaitKind): void {
  if (mySlot < 0) return;
  const at = slotAt(mySlot);
  Atomics.store(ints(), at + SLOT.waitKind, kind);
  Atomics.store(ints(), at + SLOT.waiting, id);
}

/** One thread that is waiting, as read from the table. */
export interface WaitingThread {
  ident: number;
  waitingFor: number;
  kind: WaitKind;
}

/** Every thread currently recorded as waiting (a racy snapshot; the caller re-checks). */
export function waitingThreads(): WaitingThread[] {
  const t = ints();
  const out: WaitingThread[] = [];
  for (let slot = 0; slot < MAX_THREADS; slot++) {
    const at = slotAt(slot);
    const ident = Atomics.load(t, at + SLOT.ident);
    const waitingFor = Atomics.load(t, at + SLOT.waiting);
    if (ident !== 0 && waitingFor !== 0)
      out.push({ ident, waitingFor, kind: Atomics.load(t, at + SLOT.waitKind) as WaitKind });
  }
  return out;
}
