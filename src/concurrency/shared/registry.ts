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

const HEADER = 16;
const NEXT_IDENT = 0;
const NEXT_LOCK = 1;
const SLOT_INTS = 4;
const SLOT_IDENT = 0;
const SLOT_WAITING = 1;
const SLOT_WAIT_KIND = 2;
const THREADS_AT = HEADER;
const TOTAL_INTS = THREADS_AT + MAX_THREADS * SLOT_INTS;

/** What a waiting thread waits on, as recorded in its slot. */
export const WaitKind = { None: 0, Lock: 1, Other: 2 } as const;
/** One of the `WaitKind` values. */
export type WaitKind = (typeof WaitKind)[keyof typeof WaitKind];

let table: Int32Array | undefined;
let mySlot = 0;
let myIdent = MAIN_IDENT;

function ints(): Int32Array {
  if (!table) {
    if (!isMainThread) throw new Error("Spindle's thread registry was used in a worker before it was attached");
    table = new Int32Array(new SharedArrayBuffer(TOTAL_INTS * 4));
    Atomics.store(table, NEXT_IDENT, MAIN_IDENT + 1);
    Atomics.store(table, NEXT_LOCK, 1);
    Atomics.store(table, THREADS_AT + SLOT_IDENT, MAIN_IDENT);
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
  const ident = Atomics.add(t, NEXT_IDENT, 1);
  for (let slot = 1; slot < MAX_THREADS; slot++) {
    const at = THREADS_AT + slot * SLOT_INTS;
    if (Atomics.compareExchange(t, at + SLOT_IDENT, 0, ident) === 0) {
      Atomics.store(t, at + SLOT_WAITING, 0);
      Atomics.store(t, at + SLOT_WAIT_KIND, WaitKind.None);
      return { ident, slot };
    }
  }
  return { ident, slot: -1 };
}

/** Frees a thread's slot when it ends. */
export function releaseThread(slot: number): void {
  if (slot <= 0) return;
  const at = THREADS_AT + slot * SLOT_INTS;
  Atomics.store(ints(), at + SLOT_WAITING, 0);
  Atomics.store(ints(), at + SLOT_IDENT, 0);
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
  return Atomics.add(ints(), NEXT_LOCK, 1);
}

/** Records that this thread starts (id > 0) or stops (0) waiting for lock-like `id`. */
export function setWaiting(id: number, kind: WaitKind): void {
  if (mySlot < 0) return;
  const at = THREADS_AT + mySlot * SLOT_INTS;
  Atomics.store(ints(), at + SLOT_WAIT_KIND, kind);
  Atomics.store(ints(), at + SLOT_WAITING, id);
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
    const at = THREADS_AT + slot * SLOT_INTS;
    const ident = Atomics.load(t, at + SLOT_IDENT);
    const waitingFor = Atomics.load(t, at + SLOT_WAITING);
    if (ident !== 0 && waitingFor !== 0) out.push({ ident, waitingFor, kind: Atomics.load(t, at + SLOT_WAIT_KIND) as WaitKind });
  }
  return out;
}
