/**
 * Shared records: `shared({ money: 100, name: "malu" })` returns an object
 * whose fields live in a SharedArrayBuffer, so every thread it is handed to
 * reads and writes the same memory. Reads and writes are plain loads and
 * stores — `account.money -= 80` is a read, then a write, and two threads
 * doing it at once really race (use a Lock to make it safe).
 */
import { inspect } from "node:util";
import { SpindleError } from "../../errors";
import { registerRefKind, shipRef, ShippingError, type RefData, type ShipRefContext } from "../shipping";
import { allocateLockId } from "./registry";
import { localObject, rememberLocal } from "./identity";
import { gate, Op, point, Prim } from "./schedule";
// The explorer's gate held in this module: a plain load on the hot path, no lookup through the import.
const GATE = gate;

/** Field values a shared record can hold. */
export type SharedField = number | boolean | bigint | string;

/** Options of `shared(fields, options)`. */
export interface SharedOptions {
  /** Characters reserved for each string field (default: twice its initial length, at least 64). */
  stringCapacity?: number;
}

type FieldSpec =
  | { name: string; type: "number"; at: number }
  | { name: string; type: "boolean"; at: number }
  | { name: string; type: "bigint"; at: number }
  | { name: string; type: "string"; at: number; capacity: number };

interface Schema {
  fields: FieldSpec[];
  bytes: number;
}

interface RecordData {
  schema: Schema;
  buffer: SharedArrayBuffer;
  id: number;
}

const KIND = "spindle.SharedRecord";

/** The record type `shared(fields)` returns: the fields' types, widened (`false` → boolean). */
export type SharedRecord<T extends Record<string, SharedField>> = {
  -readonly [K in keyof T]: T[K] extends number
    ? number
    : T[K] extends string
      ? string
      : T[K] extends boolean
        ? boolean
        : bigint;
};

/** Creates a record whose fields are shared by every thread it is handed to. */
export function shared<T extends Record<string, SharedField>>(fields: T, options: SharedOptions = {}): SharedRecord<T> {
  const schema = schemaOf(fields, options);
  const id = allocateLockId();
  const record = makeRecord({ schema, buffer: new SharedArrayBuffer(schema.bytes), id });
  for (const [key, value] of Object.entries(fields)) (record as Record<string, SharedField>)[key] = value;
  rememberLocal(KIND, id, record);
  recordFields.set(
    id,
    schema.fields.map((f) => f.name),
  );
  return record as SharedRecord<T>;
}

function schemaOf(fields: Record<string, unknown>, options: SharedOptions): Schema {
  let at = 0;
  const specs: FieldSpec[] = [];
  for (const [name, value] of Object.entries(fields)) {
    switch (typeof value) {
      case "number":
        specs.push({ name, type: "number", at });
        at += 8;
        break;
      case "boolean":
        specs.push({ name, type: "boolean", at });
        at += 8;
        break;
      case "bigint":
        specs.push({ name, type: "bigint", at });
        at += 8;
        break;
      case "string": {
        const capacity = options.stringCapacity ?? Math.max(64, value.length * 2);
        specs.push({ name, type: "string", at, capacity });
        at += 8 + Math.ceil((capacity * 2) / 8) * 8;
        break;
      }
      default:
        throw new SpindleError(
          `shared(): field '${name}' is ${value === null ? "null" : typeof value}; a shared record holds numbers, booleans, bigints and strings. ` +
            `Use sharedArray(...) for lists of numbers, or a Queue to pass other objects between threads.`,
          "ERR_SPINDLE_SHARED_FIELD_TYPE",
        );
    }
  }
  return { fields: specs, bytes: Math.max(8, at) };
}

function makeRecord(data: RecordData): object {
  const { schema, buffer } = data;
  const view = new DataView(buffer);
  const record: Record<string | symbol, unknown> = {};
  for (const f of schema.fields) {
    const index = schema.fields.indexOf(f);
    Object.defineProperty(record, f.name, {
      enumerable: true,
      get: getter(view, f, data.id, index),
      set: setter(view, f, data.id, index),
    });
  }
  const snapshot = () => Object.fromEntries(schema.fields.map((f) => [f.name, record[f.name]]));
  Object.defineProperty(record, "toJSON", { value: snapshot });
  Object.defineProperty(record, inspect.custom, { value: () => snapshot() });
  Object.defineProperty(record, shipRef, {
    value: (ctx: ShipRefContext): RefData => {
      if (ctx.dest === "process") {
        throw new ShippingError(
          `'${ctx.path}' is a shared record, which lives in this process's memory and cannot reach another process. ` +
            `Use multiprocessing's Value/Array or a Manager for processes.`,
          "ERR_SPINDLE_SHIP_UNCLONEABLE",
        );
      }
      return { kind: KIND, module: __filename, data };
    },
  });
  return Object.seal(record);
}

/** The field names of the records this thread made, by id (the explorer's chart names them). */
export const recordFields = new Map<number, string[]>();

// Each read and write of a field is a schedule point while a schedule is explored (one plain read otherwise).
function getter(view: DataView, f: FieldSpec, id: number, index: number): () => SharedField {
  const at = f.at;
  switch (f.type) {
    case "number":
      return () => {
        if (GATE[0] !== 0) point(Op.Read, Prim.Record, id, index);
        return view.getFloat64(at, true);
      };
    case "boolean":
      return () => {
        if (GATE[0] !== 0) point(Op.Read, Prim.Record, id, index);
        return view.getFloat64(at, true) !== 0;
      };
    case "bigint":
      return () => {
        if (GATE[0] !== 0) point(Op.Read, Prim.Record, id, index);
        return view.getBigInt64(at, true);
      };
    case "string":
      return () => {
        if (GATE[0] !== 0) point(Op.Read, Prim.Record, id, index);
        const length = view.getUint32(f.at, true);
        const chars = new Uint16Array(view.buffer, f.at + 8, Math.min(length, f.capacity));
        let out = "";
        for (let i = 0; i < chars.length; i += 4096) out += String.fromCharCode(...chars.subarray(i, i + 4096));
        return out;
      };
  }
}

function setter(view: DataView, f: FieldSpec, id: number, index: number): (value: SharedField) => void {
  const check = (value: unknown, type: string) => {
    if (GATE[0] !== 0) point(Op.Write, Prim.Record, id, index);
    if (typeof value !== type) {
      throw new SpindleError(
        `Shared field '${f.name}' holds a ${type}; cannot store ${typeof value} ${String(value)} in it.`,
        "ERR_SPINDLE_SHARED_FIELD_TYPE",
      );
    }
  };
  switch (f.type) {
    case "number":
      return (v) => (check(v, "number"), view.setFloat64(f.at, v as number, true));
    case "boolean":
      return (v) => (check(v, "boolean"), view.setFloat64(f.at, v ? 1 : 0, true));
    case "bigint":
      return (v) => (check(v, "bigint"), view.setBigInt64(f.at, v as bigint, true));
    case "string":
      return (v) => {
        check(v, "string");
        const s = v as string;
        if (s.length > f.capacity) {
          throw new SpindleError(
            `Shared field '${f.name}' has room for ${f.capacity} characters; "${s.slice(0, 20)}…" has ${s.length}. ` +
              `Create the record with shared(fields, { stringCapacity: ${s.length * 2} }).`,
            "ERR_SPINDLE_SHARED_STRING_TOO_LONG",
          );
        }
        const chars = new Uint16Array(view.buffer, f.at + 8, f.capacity);
        for (let i = 0; i < s.length; i++) chars[i] = s.charCodeAt(i);
        view.setUint32(f.at, s.length, true);
      };
  }
}

registerRefKind(KIND, (data: RecordData) => localObject(KIND, data.id, () => makeRecord(data)));
