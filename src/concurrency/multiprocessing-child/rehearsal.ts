/**
 * A spare child's rehearsal. The first call unpacked in a fresh process costs
 * ~0.5 ms more than later ones (V8 compiles the unpacking code on first use):
 * a third of a warm `Process.start()`. So a spare, while it waits, packs and
 * unpacks a call shaped like a typical start (a module's function with a
 * Queue, an Event, a Connection and plain data as arguments), makes the
 * named Process stand-in a start makes, sets the time scale it has, and
 * throws it all away. Nothing reaches the parent: the shared objects are
 * stand-ins for an id the hub never gave out, none is used, nothing runs.
 */
import { Event } from "../multiprocessing/event";
import { backendFor } from "../multiprocessing/backend";
import { Connection } from "../multiprocessing/pipe";
import { Process } from "../multiprocessing/process";
import { Queue } from "../multiprocessing/queue";
import { packCall, unpackCall } from "../shipping";
import { setTimeScale, timeScale } from "../time/scale";

/** The id of the stand-in objects: hub ids are "o<n>" or "c<pid>.<thread>.<n>", so it names none. */
const STAND_IN = "rehearsal";

/** The rehearsal's target (never called). */
export function rehearsalTarget(..._args: unknown[]): void {}

/** Packs and unpacks one typical call so the first real one runs compiled code; true when it went through. */
export function rehearse(): boolean {
  try {
    const args = [
      Queue.fromHandle(STAND_IN, 0),
      new Event(backendFor(STAND_IN)),
      new Connection(backendFor(STAND_IN), 0, true, true),
      { n: 1, items: [1, "two"] },
    ];
    const call = unpackCall(packCall(rehearsalTarget, args, undefined, { for: "process", what: "The rehearsal" }));
    setTimeScale(timeScale());
    return typeof call === "function" && new Process({ name: STAND_IN }).name === STAND_IN;
  } catch {
    // A rehearsal that fails only leaves the first start to compile what it needs.
    return false;
  }
}
