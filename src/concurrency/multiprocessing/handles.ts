/**
 * Encoding of values that cross to another process or thread. Plain data is
 * copied by structured clone; Spindle's shared objects (queues, pipes, locks,
 * manager proxies) travel as small handles and come back to life on the other
 * side as proxies to the same object; functions travel as shipped code.
 */
import { registerRefKind, shipRef, ShippingError, type RefData } from "../shipping";
import { loadCode, shipCode, type ShippedCode } from "./ship";

/** Objects that can cross a boundary as a handle implement this method. */
export const toHandle: unique symbol = Symbol.for("spindle.multiprocessing.toHandle") as never;

/** What a handle carries: its kind (a registered reviver) plus the kind's data. */
export interface HandleData {
  kind: string;
  [key: string]: unknown;
}

/** A value with a handle form. */
export interface Shareable {
  [toHandle](): HandleData;
}

const MARK = "__spindle_handle__";
type Reviver = (data: HandleData) => unknown;
const revivers = new Map<string, Reviver>();
const REF_PREFIX = "spindle.multiprocessing.";

/**
 * Registers how to rebuild handles of `kind` on the receiving side, and makes
 * `cls` travel by reference through the shared shipping mechanism too (as an
 * argument of a Process target, a field of a Process subclass, a capture).
 * `file` is the module that registers the kind (required first on the far side).
 */
export function registerReviver(kind: string, reviver: Reviver, cls?: { prototype: object }, file?: string): void {
  revivers.set(kind, reviver);
  registerRefKind(REF_PREFIX + kind, (data: HandleData) => reviver(decode(data) as HandleData));
  if (cls && file && !Object.hasOwn(cls.prototype, shipRef)) {
    Object.defineProperty(cls.prototype, shipRef, {
      configurable: true,
      value(this: Shareable): RefData {
        const h = this[toHandle]();
        return { kind: REF_PREFIX + h.kind, module: file, data: encode(h) };
      },
    });
  }
}

function isPlainObject(value: object): boolean {
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** Encodes `value` for sending: handles for shared objects, shipped code for functions. */
export function encode(value: unknown, path = "value"): unknown {
  if (value === null || typeof value !== "object") {
    if (typeof value === "function") return { [MARK]: { kind: "fn", code: shipCode(value, path) } };
    if (typeof value === "symbol")
      throw new ShippingError(
        `${path} is a symbol, which cannot be sent to another process; send a string instead.`,
        "ERR_SPINDLE_SHIP_UNCLONEABLE",
      );
    return value;
  }
  if (toHandle in value) return { [MARK]: encode((value as Shareable)[toHandle](), path) };
  if (Array.isArray(value)) {
    let out: unknown[] | undefined;
    for (let i = 0; i < value.length; i++) {
      const v = value[i] as unknown;
      const e = v !== null && (typeof v === "object" || typeof v === "function") ? encode(v, `${path}[${i}]`) : v;
      if (e !== v && !out) out = value.slice(0, i);
      if (out) out.push(e);
    }
    return out ?? value;
  }
  if (value instanceof Map) {
    return new Map([...value].map(([k, v], i) => [encode(k, `${path} key ${i}`), encode(v, `${path}.get(…)`)]));
  }
  if (value instanceof Set) return new Set([...value].map((v) => encode(v, `${path} item`)));
  if (isPlainObject(value)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = encode(v, `${path}.${k}`);
    return out;
  }
  return value;
}

/** Rebuilds a value produced by `encode` (possibly after structured clone). */
export function decode(value: unknown): unknown {
  if (value === null || typeof value !== "object") return value;
  if (Array.isArray(value)) {
    let out: unknown[] | undefined;
    for (let i = 0; i < value.length; i++) {
      const v = value[i] as unknown;
      const d = v !== null && typeof v === "object" ? decode(v) : v;
      if (d !== v && !out) out = value.slice(0, i);
      if (out) out.push(d);
    }
    return out ?? value;
  }
  if (value instanceof Map) return new Map([...value].map(([k, v]) => [decode(k), decode(v)]));
  if (value instanceof Set) return new Set([...value].map(decode));
  if (!isPlainObject(value)) return value;
  const rec = value as Record<string, unknown>;
  const raw = rec[MARK];
  if (raw !== undefined && raw !== null && typeof raw === "object") {
    const mark = decode(raw) as HandleData;
    if (mark.kind === "fn") return loadCode(mark.code as ShippedCode);
    const reviver = revivers.get(mark.kind);
    if (!reviver)
      throw new ShippingError(
        `A shared object of kind "${mark.kind}" arrived but that kind is unknown here; import spindle/multiprocessing in this process.`,
        "ERR_SPINDLE_SHIP_UNKNOWN_REF",
      );
    return reviver(mark);
  }
  for (const k of Object.keys(rec)) rec[k] = decode(rec[k]);
  return rec;
}

/** Encodes, then copies: what a value looks like after a trip to another process and back. */
export function copyAcross(value: unknown): unknown {
  if (value === null || typeof value !== "object") return typeof value === "function" ? value : value;
  return structuredClone(encode(value));
}
