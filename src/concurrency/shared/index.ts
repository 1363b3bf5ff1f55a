/**
 * Shared memory for threads: records, arrays and values on SharedArrayBuffer
 * (re-exported by `spindle/threading`).
 */
export { shared, type SharedField, type SharedOptions, type SharedRecord } from "./record";
export { sharedArray, sharedValue, type SharedArrayType } from "./arrays";
