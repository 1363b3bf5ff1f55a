/**
 * Code shipping for threads and processes (internal; not a public package
 * export). One mechanism for both:
 *
 *   const call = packCall(fn, args, kwargs, { for: "thread" });   // sending side, at start()
 *   worker.postMessage(call);                                     // or child IPC (v8 serialization)
 *   const run = unpackCall(call); await run();                    // far side
 *
 * Values travel by reference when they implement `[shipRef]` and register their
 * kind with `registerRefKind` (see refs.ts). Importing this barrel does not load
 * TypeScript; packing a function does, once.
 */
export { packCall, packValue, warmUpShipping, type PackOptions } from "./pack";
export { unpackCall, unpackValue, type UnpackedCall } from "./unpack";
export { moduleFilesOf } from "./modules";
export { registerTopLevelScope } from "./closure";
export { registerRefKind, unpackRef, type RefUnpacker, type UnpackRefContext } from "./refs";
export { ShippingError, type ShippingErrorCode } from "./errors";
export { setStackMapper, mapStack, type StackMapper } from "./stack";
export { isPlainData, describeValue } from "./plain-data";
// Every type of the wire format; of its values only the `shipRef` symbol (SHIPPED_WRAPPER is internal).
export type * from "./types";
export { shipRef } from "./types";
