/**
 * How queue items are stored in shared memory: JSON (UTF-8) when the item is
 * plain JSON data — the fast path — else V8's structured serialization (Map,
 * Set, Date, typed arrays, bigint, undefined…). And the sort keys of
 * PriorityQueue: bytes that compare like Python compares numbers, strings and
 * tuples (arrays), so the heap order is decided without rebuilding items.
 */
import v8 from "node:v8";
import { isPlainData } from "../shipping/plain-data";
import { SpindleError } from "../../errors";

/** Payload formats (first byte of a stored item). */
export const JSON_FORMAT = 1;
/** V8 serialization format marker. */
export const V8_FORMAT = 2;

/** An item ready to store: its format and either a JSON string or V8 bytes. */
export type EncodedItem =
  | { format: typeof JSON_FORMAT; text: string; bytes: number }
  | { format: typeof V8_FORMAT; data: Uint8Array; bytes: number };

function jsonSafe(value: unknown, depth: number): boolean {
  if (depth > 64) return false;
  switch (typeof value) {
    case "string":
    case "boolean":
      return true;
    case "number":
      return Number.isFinite(value) && !Object.is(value, -0);
    case "object": {
      if (value === null) return true;
      if (Array.isArray(value)) {
        for (const v of value) if (v === undefined || !jsonSafe(v, depth + 1)) return false;
        return true;
      }
      const proto: unknown = Object.getPrototypeOf(value);
      if (proto !== Object.prototype && proto !== null) return false;
      for (const k in value) {
        const v = (value as Record<string, unknown>)[k];
        if (v === undefined || !jsonSafe(v, depth + 1)) return false;
      }
      return true;
    }
    default:
      return false;
  }
}

/** Encodes an item; throws a clear error for what cannot be copied into shared memory. */
export function encodeItem(item: unknown, what: string): EncodedItem {
  if (jsonSafe(item, 0)) {
    const text = JSON.stringify(item);
    return { format: JSON_FORMAT, text, bytes: 1 + Buffer.byteLength(text) };
  }
  const problem = isPlainData(item, "thread");
  if (problem !== undefined || containsShared(item)) {
    throw new SpindleError(
      `${what}: the item cannot be copied into the queue (${problem ?? "it holds shared memory"}). Queue items are copied as data: ` +
        `numbers, strings, arrays, plain objects, Map, Set, Date, typed arrays. Pass locks, functions and shared objects to threads in args instead.`,
      "ERR_SPINDLE_QUEUE_ITEM",
    );
  }
  const data = v8.serialize(item);
  return { format: V8_FORMAT, data, bytes: 1 + data.length };
}

function containsShared(value: unknown): boolean {
  return (ArrayBuffer.isView(value) && value.buffer instanceof SharedArrayBuffer) || value instanceof SharedArrayBuffer;
}

/** Decodes an item as `QueueMemory.pop` returned it: JSON text, or V8 bytes. */
export function decodeItem(stored: string | Buffer): unknown {
  return typeof stored === "string" ? JSON.parse(stored) : v8.deserialize(stored);
}

/**
 * An order-preserving byte key: comparing keys byte by byte orders items as Python orders them (numbers by
 * value, booleans as 0/1, strings by code unit, arrays element by element, a shorter prefix first).
 * Encoding stops at the first element that has no order (an object, null): such ties keep insertion order.
 */
export function priorityKey(item: unknown): Uint8Array {
  const out: number[] = [];
  encodeKey(item, out);
  return Uint8Array.from(out);
}

const TAG_END = 0x01;
const TAG_UNORDERED = 0x02;
const TAG_NUMBER = 0x10;
const TAG_STRING = 0x20;
const TAG_ARRAY = 0x30;
const f64 = new Float64Array(1);
const f64Bytes = new Uint8Array(f64.buffer);

function encodeKey(value: unknown, out: number[]): boolean {
  if (typeof value === "boolean") value = value ? 1 : 0;
  if (typeof value === "bigint") value = Number(value);
  if (typeof value === "number") {
    f64[0] = value === 0 ? 0 : value;
    const bytes = [...f64Bytes].reverse(); // big-endian
    if (value < 0) for (let i = 0; i < 8; i++) bytes[i]! ^= 0xff;
    else bytes[0]! ^= 0x80;
    out.push(TAG_NUMBER, ...bytes);
    return true;
  }
  if (typeof value === "string") {
    out.push(TAG_STRING);
    for (let i = 0; i < value.length; i++) {
      const cu = value.charCodeAt(i);
      // Zero bytes are escaped (0x00 0xFF) so that the terminator 0x00 0x00 sorts before any character.
      for (const b of [cu >> 8, cu & 0xff]) {
        if (b === 0) out.push(0, 0xff);
        else out.push(b);
      }
    }
    out.push(0, 0);
    return true;
  }
  if (Array.isArray(value)) {
    out.push(TAG_ARRAY);
    for (const v of value) if (!encodeKey(v, out)) return false;
    out.push(TAG_END);
    return true;
  }
  // No order (an object, null): stop here. Sorts after a shorter prefix, ties keep arrival order.
  out.push(TAG_UNORDERED);
  return false;
}

/** Compares two byte ranges (memcmp); negative, zero or positive. */
export function compareBytes(
  a: Uint8Array,
  aAt: number,
  aLen: number,
  b: Uint8Array,
  bAt: number,
  bLen: number,
): number {
  const n = Math.min(aLen, bLen);
  for (let i = 0; i < n; i++) {
    const d = a[aAt + i]! - b[bAt + i]!;
    if (d !== 0) return d;
  }
  return aLen - bLen;
}
