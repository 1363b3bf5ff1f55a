/**
 * The state behind Manager lists and dicts and behind Value/Array: plain data
 * kept by the hub. Reads hand out copies, so changing an object you read does
 * not change the stored one — assign it back (Python's proxy rule).
 */
import { ProcessStateError } from "../errors";
import type { HubObject } from "../hub";

function badIndex(i: number, len: number): ProcessStateError {
  return new ProcessStateError(
    `list index ${i} out of range (length ${len}); Python raises IndexError here.`,
    "ERR_SPINDLE_INDEX",
  );
}

function unknownOp(what: string, op: string): ProcessStateError {
  return new ProcessStateError(`${what} has no operation "${op}".`, "ERR_SPINDLE_UNKNOWN_OP");
}

/** Hub state of a shared list (Manager.list, Array). */
export class ListCore implements HubObject {
  /** The stored (encoded) items; exposed for synchronous inspection in the owner. */
  readonly items: unknown[];

  constructor(initial: unknown[]) {
    this.items = [...initial];
  }

  #index(i: unknown, forInsert = false): number {
    const n = Math.trunc(Number(i));
    const len = this.items.length;
    const k = n < 0 ? n + len : n;
    if (forInsert) return Math.max(0, Math.min(len, k));
    if (!(k >= 0 && k < len)) throw badIndex(n, len);
    return k;
  }

  dispatch(op: string, args: unknown[]): unknown {
    const items = this.items;
    switch (op) {
      case "append":
        items.push(args[0]);
        return undefined;
      case "extend":
        items.push(...(args[0] as unknown[]));
        return undefined;
      case "get":
        return items[this.#index(args[0])];
      case "set":
        items[this.#index(args[0])] = args[1];
        return undefined;
      case "insert":
        items.splice(this.#index(args[0], true), 0, args[1]);
        return undefined;
      case "pop": {
        if (items.length === 0)
          throw new ProcessStateError("pop from empty list; check length() first.", "ERR_SPINDLE_INDEX");
        const k = this.#index(args[0] ?? -1);
        return items.splice(k, 1)[0];
      }
      case "remove":
      case "index": {
        const k = items.findIndex((v) => isDeepStrictEqualish(v, args[0]));
        if (k < 0) throw new ProcessStateError(`list.${op}(x): x not in list.`, "ERR_SPINDLE_NOT_FOUND");
        if (op === "remove") items.splice(k, 1);
        return op === "index" ? k : undefined;
      }
      case "count":
        return items.filter((v) => isDeepStrictEqualish(v, args[0])).length;
      case "length":
        return items.length;
      case "clear":
        items.length = 0;
        return undefined;
      case "slice":
        return items.slice(args[0] as number | undefined, args[1] as number | undefined);
      case "reverse":
        items.reverse();
        return undefined;
      case "sort":
        items.sort((a, b) => (a === b ? 0 : (a as number) < (b as number) ? -1 : 1));
        if (args[0] === true) items.reverse();
        return undefined;
      default:
        throw unknownOp("list", op);
    }
  }
}

/** Hub state of a shared dict (Manager.dict). */
export class DictCore implements HubObject {
  /** The stored (encoded) entries. */
  readonly map: Map<unknown, unknown>;

  constructor(initial: Iterable<[unknown, unknown]>) {
    this.map = new Map(initial);
  }

  dispatch(op: string, args: unknown[]): unknown {
    const m = this.map;
    const [k, v] = args;
    switch (op) {
      case "get":
        return m.has(k) ? m.get(k) : v;
      case "set":
        m.set(k, v);
        return undefined;
      case "has":
        return m.has(k);
      case "delete":
        return m.delete(k);
      case "pop": {
        if (!m.has(k)) {
          if (args.length > 1) return v;
          throw new ProcessStateError(
            `KeyError: ${String(k)} is not in the dict; pass a default to pop(key, default).`,
            "ERR_SPINDLE_KEY",
          );
        }
        const old = m.get(k);
        m.delete(k);
        return old;
      }
      case "setdefault":
        if (!m.has(k)) m.set(k, v);
        return m.get(k);
      case "update":
        for (const [key, value] of args[0] as [unknown, unknown][]) m.set(key, value);
        return undefined;
      case "keys":
        return [...m.keys()];
      case "values":
        return [...m.values()];
      case "items":
        return [...m.entries()];
      case "length":
        return m.size;
      case "clear":
        m.clear();
        return undefined;
      default:
        throw unknownOp("dict", op);
    }
  }
}

/** Hub state of a shared Value. */
export class ValueCore implements HubObject {
  /** The stored value. */
  value: unknown;

  constructor(initial: unknown) {
    this.value = initial;
  }

  dispatch(op: string, args: unknown[]): unknown {
    switch (op) {
      case "get":
        return this.value;
      case "set":
        this.value = args[0];
        return undefined;
      case "add":
        this.value = (this.value as number) + (args[0] as number);
        return this.value;
      default:
        throw unknownOp("Value", op);
    }
  }
}

/** Equality used by list.index/remove/count: same primitive, or same JSON for plain data. */
function isDeepStrictEqualish(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  try {
    return JSON.stringify(a) === JSON.stringify(b);
  } catch {
    return false;
  }
}
