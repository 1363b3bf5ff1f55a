/**
 * Decides whether a value is plain data that structured clone copies faithfully
 * (so it can travel as one `copy`), and names values for error messages.
 */
import { shipRef, type ShipDestination } from "./types";
import { namespaceInfo } from "../../runtime/namespaces";

const CLONEABLE_BUILTINS: Function[] = [Date, RegExp, ArrayBuffer, DataView, Boolean, Number, String, Error, Map, Set];

/** Returns undefined when `value` is plain data for `dest`, else why it is not (for the error message). */
export function isPlainData(value: unknown, dest: ShipDestination, seen: Set<object> = new Set()): string | undefined {
  if (value === null) return undefined;
  const t = typeof value;
  if (t === "function") return "it is a function";
  if (t === "symbol") return "it is a symbol";
  if (t !== "object") return undefined;
  const obj = value as object;
  if (seen.has(obj)) return undefined;
  seen.add(obj);
  if (shipRef in obj || namespaceInfo(obj)) return "it travels by reference";
  if (obj instanceof SharedArrayBuffer) {
    return dest === "process" ? "a SharedArrayBuffer cannot be shared with another process" : undefined;
  }
  if (ArrayBuffer.isView(obj)) {
    return dest === "process" && obj.buffer instanceof SharedArrayBuffer
      ? "memory shared between threads cannot be shared with another process (use multiprocessing's shared values)"
      : undefined;
  }
  if (Array.isArray(obj)) {
    for (const item of obj) {
      const why = isPlainData(item, dest, seen);
      if (why) return why;
    }
    return undefined;
  }
  const proto: unknown = Object.getPrototypeOf(obj);
  if (proto === Object.prototype || proto === null) {
    for (const key of Object.keys(obj)) {
      const why = isPlainData((obj as Record<string, unknown>)[key], dest, seen);
      if (why) return why;
    }
    return Object.getOwnPropertySymbols(obj).length > 0 ? "it has symbol-keyed properties" : undefined;
  }
  if (obj instanceof Map) {
    for (const [k, v] of obj) {
      const why = isPlainData(k, dest, seen) ?? isPlainData(v, dest, seen);
      if (why) return why;
    }
    return undefined;
  }
  if (obj instanceof Set) {
    for (const v of obj) {
      const why = isPlainData(v, dest, seen);
      if (why) return why;
    }
    return undefined;
  }
  for (const cls of CLONEABLE_BUILTINS) if (proto === cls.prototype) return undefined;
  if (obj instanceof Error) return undefined;
  return `${describeValue(obj)} is not plain data`;
}

/** A short description of a value for messages: "a Socket", "a function 'work'", "a number". */
export function describeValue(value: unknown): string {
  if (value === null) return "null";
  if (typeof value === "function") return value.name ? `a function '${value.name}'` : "an anonymous function";
  if (typeof value !== "object") return `a ${typeof value}`;
  const name = (Object.getPrototypeOf(value) as { constructor?: { name?: string } } | null)?.constructor?.name;
  return name ? `a ${name}` : "an object";
}
