/**
 * How multiprocessing sends code: the shared code-shipping mechanism
 * (`src/concurrency/shipping/`, the same one threads use). Functions and
 * classes travel as source with the names they use; Spindle's shared objects
 * travel by reference (`[shipRef]`, installed by `handles.ts`).
 */
import { packValue, unpackValue, type ShipDestination, type ShippedData } from "../shipping";

/** A function or class, packed. */
export type ShippedCode = ShippedData;

/** Packs `fn` (a function or class) for a child process or a pool thread. */
export function shipCode(fn: unknown, what: string, dest: ShipDestination = "process"): ShippedCode {
  return packValue(fn, { for: dest, what, path: what });
}

/** Rebuilds code packed by `shipCode`. */
export function loadCode(code: ShippedCode): unknown {
  return unpackValue(code);
}
