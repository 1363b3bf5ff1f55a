/**
 * The registry of by-reference kinds. A module whose objects travel by
 * reference (locks, queues, shared records) registers an unpacker for its kind
 * when it loads; the far side `require`s that module (named in the RefData)
 * before looking the kind up, so registration happens on both sides alike.
 */
import type { RefData, ShippedValue } from "./types";
import { ShippingError } from "./errors";

/** What an unpacker is given besides its data. */
export interface UnpackRefContext {
  /** Rebuilds a nested value packed with `ShipRefContext.pack`. */
  unpack(value: ShippedValue): unknown;
}

/** Rebuilds a by-reference value from its data on the far side. */
export type RefUnpacker = (data: never, ctx: UnpackRefContext) => unknown;

const kinds = new Map<string, RefUnpacker>();

/** Registers how to rebuild values of `kind` (call at module load, on every side). */
export function registerRefKind(kind: string, unpack: RefUnpacker): void {
  kinds.set(kind, unpack);
}

/** Rebuilds a by-reference value; requires its module first so the kind is registered. */
export function unpackRef(ref: RefData, ctx: UnpackRefContext): unknown {
  let unpack = kinds.get(ref.kind);
  if (!unpack) {
    require(ref.module);
    unpack = kinds.get(ref.kind);
  }
  if (!unpack) {
    throw new ShippingError(
      `No unpacker is registered for shipped kind '${ref.kind}' (module ${ref.module} loaded); the module must call registerRefKind('${ref.kind}', …) when it loads.`,
      "ERR_SPINDLE_SHIP_UNKNOWN_REF",
    );
  }
  return (unpack as (data: unknown, ctx: UnpackRefContext) => unknown)(ref.data, ctx);
}
