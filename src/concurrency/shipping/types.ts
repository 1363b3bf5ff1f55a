/**
 * The wire form of shipped code and values, shared by the packing side and the
 * unpacking side (a worker thread or a child process). Everything here is plain
 * data: it survives structured clone (postMessage) and `v8.serialize` (child IPC).
 */

/** Where the shipped call will run; ref kinds may refuse one of them (e.g. SharedArrayBuffer → process). */
export type ShipDestination = "thread" | "process";

/** A value as it travels. */
export type ShippedValue =
  /** Structured-clone data (primitives, plain objects/arrays, Map, Set, Date, typed arrays…), copied. */
  | { k: "copy"; v: unknown }
  /** An entry of `ShippedCall.objects` (a function, a class or a class instance), by index. */
  | { k: "obj"; id: number }
  /** A value that travels by reference (a lock, a queue, a shared record): rebuilt by its registered kind. */
  | { k: "ref"; ref: RefData }
  /** A module the far side `require`s again (a cell's import, or Node's `require` itself). */
  | { k: "mod"; mod: ModuleSpec }
  /** A plain object holding some values that are not plain data. */
  | { k: "rec"; entries: Array<[string, ShippedValue]> }
  /** An array holding some values that are not plain data. */
  | { k: "arr"; items: ShippedValue[] }
  /** An entry of `ShippedCall.namespaces`: the cell-store object a function reads names from. */
  | { k: "ns"; id: number };

/** How to get a module on the far side. */
export type ModuleSpec =
  /** `member`: one export of the module (a library function or class), instead of the whole module. */
  | { kind: "file"; file: string; interop?: "default" | "star"; member?: string }
  | { kind: "builtin"; name: string; interop?: "default" | "star"; member?: string }
  /** Node's `require` function of the module in directory `dir`. */
  | { kind: "require"; dir: string };

/** By-reference data produced by a value's `[shipRef]` hook. */
export interface RefData {
  /** The registered kind name, e.g. "spindle.Lock". */
  kind: string;
  /** Absolute path of the module that registers `kind` on load (required on the far side first). */
  module: string;
  /** Kind-specific plain data (SharedArrayBuffers allowed for threads). */
  data: unknown;
}

/** Where a function's source came from, so stack traces in the far side name the original file and lines. */
export interface SourceOrigin {
  /** Script file name / URL, e.g. `cell[3]` or `/path/to/file.js`. */
  file: string;
  /** 0-based line of the function's first character. */
  line: number;
  /** 0-based column of the function's first character. */
  column: number;
}

/** A function or class that travels as source, with the names it uses from around it. */
export interface ShippedFunction {
  t: "fn";
  /** The function's name (for messages); "" when anonymous. */
  name: string;
  /** A JavaScript expression evaluating to the function (its source, possibly wrapped). */
  expr: string;
  /** Free names of the source and the values they get on the far side. */
  captures: Array<[string, ShippedValue]>;
  origin?: SourceOrigin;
}

/** An instance of a shipped class: rebuilt with `Object.create(Class.prototype)` plus its own fields. */
export interface ShippedInstance {
  t: "inst";
  cls: ShippedValue;
  fields: Array<[string, ShippedValue]>;
}

/** A namespace object (a cell store): only the names the shipped code reads. */
export interface ShippedNamespace {
  entries: Array<[string, ShippedValue]>;
}

/** One call to run on the far side: `target(...args, kwargs?)`, or `target[method]()` for an instance. */
export interface ShippedCall {
  v: 1;
  dest: ShipDestination;
  objects: Array<ShippedFunction | ShippedInstance>;
  namespaces: ShippedNamespace[];
  target: ShippedValue;
  /** For an instance target: the method to call (e.g. "run"). */
  method?: string;
  args: ShippedValue[];
  kwargs?: ShippedValue;
}

/** A single value with the tables it refers to (what `packValue` returns). */
export interface ShippedData {
  v: 1;
  dest: ShipDestination;
  objects: Array<ShippedFunction | ShippedInstance>;
  namespaces: ShippedNamespace[];
  value: ShippedValue;
}

/** The symbol a by-reference value implements: `[shipRef](ctx) → RefData`. */
export const shipRef: unique symbol = Symbol.for("spindle.shipRef");

/** What a `[shipRef]` hook is told. */
export interface ShipRefContext {
  dest: ShipDestination;
  /** Packs a nested value (e.g. a Barrier's action function) into the same call. */
  pack(value: unknown, path: string): ShippedValue;
  /** How the user reaches the value, e.g. "lock1" or "args[0]" (for error messages). */
  path: string;
}

/** A value that travels by reference. */
export interface ByReference {
  [shipRef](ctx: ShipRefContext): RefData;
}

/** How unpack's wrapper around a shipped function's source begins (pack recognizes re-shipped functions by it). */
export const SHIPPED_WRAPPER = '(function () { "use strict"; ';
