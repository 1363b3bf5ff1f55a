/**
 * Shared data kept by the owning process and reached from every process:
 * Manager lists and dicts, and Value / Array. Every read returns a copy:
 * changing an object you read does not change the stored one; assign it back
 * with set() — the same rule as Python's manager proxies.
 */
import { inspect } from "node:util";
import { createBackend, backendFor, localObject, type Backend } from "./backend";
import { DictCore, ListCore, ValueCore } from "./cores/store-core";
import { ProcessStateError } from "./errors";
import { decode, encode, registerReviver, toHandle, type HandleData, type Shareable } from "./handles";
import { registerFactory } from "./hub";
import { Lock } from "./sync/lock";

registerFactory("List", (args) => new ListCore(args[0] as unknown[]));
registerFactory("Dict", (args) => new DictCore(args[0] as [unknown, unknown][]));
registerFactory("Value", (args) => new ValueCore(args[0]));

/** A read in the owning process must not hand out the stored object itself. */
const readCopy = (b: Backend, v: unknown): unknown =>
  b.local && v !== null && typeof v === "object" ? structuredClone(v) : v;

const enc = (v: unknown): unknown => {
  const e = encode(v, "the stored value");
  return e !== null && typeof e === "object" ? structuredClone(e) : e;
};

/** A list shared by processes (Python's `Manager().list()` proxy); every method returns a Promise. */
export class ListProxy<T = unknown> implements Shareable {
  readonly #b: Backend;

  /** Internal: use `manager.list()`. */
  constructor(initial: Iterable<T> = [], backend?: Backend) {
    const items = [...initial].map(enc);
    this.#b = backend ?? createBackend("List", [items], () => new ListCore(items));
  }

  async #call(op: string, args: unknown[] = []): Promise<unknown> {
    return decode(readCopy(this.#b, await this.#b.call(op, args)));
  }

  /** Adds `item` at the end. */
  async append(item: T): Promise<void> {
    await this.#call("append", [enc(item)]);
  }
  /** Adds every item of `items` at the end. */
  async extend(items: Iterable<T>): Promise<void> {
    await this.#call("extend", [[...items].map(enc)]);
  }
  /** A copy of the item at `index` (negative counts from the end). */
  async get(index: number): Promise<T> {
    return (await this.#call("get", [index])) as T;
  }
  /** Replaces the item at `index` — the way to change an element so other processes see it. */
  async set(index: number, item: T): Promise<void> {
    await this.#call("set", [index, enc(item)]);
  }
  /** Inserts `item` before `index`. */
  async insert(index: number, item: T): Promise<void> {
    await this.#call("insert", [index, enc(item)]);
  }
  /** Removes and returns the item at `index` (default: the last). */
  async pop(index?: number): Promise<T> {
    return (await this.#call("pop", [index ?? -1])) as T;
  }
  /** Removes the first item equal to `item`. */
  async remove(item: T): Promise<void> {
    await this.#call("remove", [enc(item)]);
  }
  /** The index of the first item equal to `item`. */
  async index(item: T): Promise<number> {
    return (await this.#call("index", [enc(item)])) as number;
  }
  /** How many items equal `item`. */
  async count(item: T): Promise<number> {
    return (await this.#call("count", [enc(item)])) as number;
  }
  /** The number of items (Python's `len()`). */
  async length(): Promise<number> {
    return (await this.#call("length")) as number;
  }
  /** Removes every item. */
  async clear(): Promise<void> {
    await this.#call("clear");
  }
  /** Reverses the list in place. */
  async reverse(): Promise<void> {
    await this.#call("reverse");
  }
  /** Sorts numbers or strings in place (`reverse` for descending). */
  async sort(reverse = false): Promise<void> {
    await this.#call("sort", [reverse]);
  }
  /** A plain array copy of the items (or of `list[start:end]`). */
  async toArray(start?: number, end?: number): Promise<T[]> {
    return (await this.#call("slice", [start, end])) as T[];
  }

  [toHandle](): HandleData {
    return { kind: "List", id: this.#b.id };
  }

  [inspect.custom](): unknown {
    const core = localObject(this.#b) as ListCore | undefined;
    return core ? core.items.map((v) => decode(structuredClone(v))) : `ListProxy(${this.#b.id})`;
  }
}

/** A dict shared by processes (Python's `Manager().dict()` proxy); every method returns a Promise. */
export class DictProxy<K = string, V = unknown> implements Shareable {
  readonly #b: Backend;

  /** Internal: use `manager.dict()`. */
  constructor(initial: Iterable<[K, V]> | Record<string, V> = [], backend?: Backend) {
    const entries = (
      Symbol.iterator in Object(initial) ? [...(initial as Iterable<[K, V]>)] : Object.entries(initial)
    ).map(([k, v]) => [k, enc(v)] as [unknown, unknown]);
    this.#b = backend ?? createBackend("Dict", [entries], () => new DictCore(entries));
  }

  async #call(op: string, args: unknown[] = []): Promise<unknown> {
    return decode(readCopy(this.#b, await this.#b.call(op, args)));
  }

  /** A copy of the value at `key`, or `fallback` when absent. */
  async get(key: K, fallback?: V): Promise<V | undefined> {
    return (await this.#call("get", [key, fallback])) as V | undefined;
  }
  /** Stores `value` at `key` (Python's `d[key] = value`). */
  async set(key: K, value: V): Promise<void> {
    await this.#call("set", [key, enc(value)]);
  }
  /** True when `key` is present (Python's `key in d`). */
  async has(key: K): Promise<boolean> {
    return (await this.#call("has", [key])) as boolean;
  }
  /** Removes `key`; resolves true when it was there (Python's `del d[key]`). */
  async delete(key: K): Promise<boolean> {
    return (await this.#call("delete", [key])) as boolean;
  }
  /** Removes `key` and returns its value (or `fallback`; rejects when absent without one). */
  async pop(key: K, ...fallback: [V?]): Promise<V> {
    return (await this.#call("pop", [key, ...fallback.map(enc)])) as V;
  }
  /** Returns the value at `key`, storing `value` first when absent. */
  async setdefault(key: K, value: V): Promise<V> {
    return (await this.#call("setdefault", [key, enc(value)])) as V;
  }
  /** Stores every entry of `entries`. */
  async update(entries: Iterable<[K, V]> | Record<string, V>): Promise<void> {
    const list = Symbol.iterator in Object(entries) ? [...(entries as Iterable<[K, V]>)] : Object.entries(entries);
    await this.#call("update", [list.map(([k, v]) => [k, enc(v)])]);
  }
  /** The keys. */
  async keys(): Promise<K[]> {
    return (await this.#call("keys")) as K[];
  }
  /** Copies of the values. */
  async values(): Promise<V[]> {
    return (await this.#call("values")) as V[];
  }
  /** `[key, value]` pairs. */
  async items(): Promise<[K, V][]> {
    return (await this.#call("items")) as [K, V][];
  }
  /** The number of entries. */
  async length(): Promise<number> {
    return (await this.#call("length")) as number;
  }
  /** Removes every entry. */
  async clear(): Promise<void> {
    await this.#call("clear");
  }
  /** A plain object copy (keys as strings). */
  async toObject(): Promise<Record<string, V>> {
    return Object.fromEntries(await this.items()) as Record<string, V>;
  }

  [toHandle](): HandleData {
    return { kind: "Dict", id: this.#b.id };
  }

  [inspect.custom](): unknown {
    const core = localObject(this.#b) as DictCore | undefined;
    return core
      ? Object.fromEntries([...core.map].map(([k, v]) => [String(k), decode(structuredClone(v))]))
      : `DictProxy(${this.#b.id})`;
  }
}

/** A single value shared by processes (Python's `Value` / `Manager().Value`); `getLock()` guards read-modify-write. */
export class Value<T = number> implements Shareable {
  readonly #b: Backend;
  readonly #lock: Lock | undefined;

  /** Creates a shared value; `typecode` ('i', 'd', …) is accepted for Python parity and only documents intent. */
  constructor(typecode: string, value: T, options: { lock?: boolean; backend?: Backend; lockHandle?: Lock } = {}) {
    void typecode;
    this.#b = options.backend ?? createBackend("Value", [enc(value)], () => new ValueCore(enc(value)));
    this.#lock = options.lockHandle ?? (options.lock === false ? undefined : new Lock());
  }

  /** The current value (a copy). */
  async get(): Promise<T> {
    return decode(readCopy(this.#b, await this.#b.call("get", []))) as T;
  }
  /** Replaces the value. */
  async set(value: T): Promise<void> {
    await this.#b.call("set", [enc(value)]);
  }
  /** Adds `delta` in one step in the owner (atomic, no lock needed) and returns the new value. */
  async add(delta: number): Promise<T> {
    return (await this.#b.call("add", [delta])) as T;
  }
  /** The lock that comes with the value (Python's `get_lock()`). */
  getLock(): Lock {
    if (!this.#lock)
      throw new ProcessStateError(
        "This Value was created with { lock: false } (as a Manager's Value is) and has no lock; create a Lock() and pass it along.",
        "ERR_SPINDLE_NO_LOCK",
      );
    return this.#lock;
  }

  [toHandle](): HandleData {
    return { kind: "Value", id: this.#b.id, lock: this.#lock?.path };
  }

  [inspect.custom](): unknown {
    const core = localObject(this.#b) as ValueCore | undefined;
    return core ? `Value(${inspect(decode(structuredClone(core.value)))})` : `Value(${this.#b.id})`;
  }
}

/** A fixed-length array shared by processes (Python's `multiprocessing.Array`), with a lock. */
export class SharedArray<T = number> extends ListProxy<T> {
  readonly #lock: Lock;

  /** Creates it from `sizeOrItems` (a length filled with 0, or initial items); `typecode` is for Python parity. */
  constructor(
    typecode: string,
    sizeOrItems: number | Iterable<T>,
    options: { backend?: Backend; lockHandle?: Lock } = {},
  ) {
    void typecode;
    const items = typeof sizeOrItems === "number" ? (new Array(sizeOrItems).fill(0) as T[]) : [...sizeOrItems];
    super(items, options.backend);
    this.#lock = options.lockHandle ?? new Lock();
  }

  /** The lock that comes with the array (Python's `get_lock()`). */
  getLock(): Lock {
    return this.#lock;
  }

  override [toHandle](): HandleData {
    return { ...super[toHandle](), kind: "Array", lock: this.#lock.path };
  }
}

registerReviver("List", (d) => new ListProxy([], backendFor(d.id as string)), ListProxy, __filename);
registerReviver("Dict", (d) => new DictProxy([], backendFor(d.id as string)), DictProxy, __filename);
registerReviver(
  "Value",
  (d) =>
    new Value("", undefined, {
      backend: backendFor(d.id as string),
      lockHandle: typeof d.lock === "string" ? Lock.fromHandle(d.lock) : undefined,
      lock: d.lock !== undefined,
    }),
  Value,
  __filename,
);
registerReviver(
  "Array",
  (d) =>
    new SharedArray("", [], { backend: backendFor(d.id as string), lockHandle: Lock.fromHandle(d.lock as string) }),
  SharedArray,
  __filename,
);
