/**
 * Unpacking, on the far side: rebuilds functions from source (compiled once per
 * distinct source and kept, so a warm worker runs a repeated target without
 * compiling it again), instances, modules, namespaces and by-reference values.
 * This file never loads the TypeScript compiler.
 */
import vm from "node:vm";
import { loadModule } from "./modules";
import { inspectorDenied, registerCaptures } from "./closure";
import { ShippingError } from "./errors";
import { unpackRef } from "./refs";
import { SHIPPED_WRAPPER, type ShippedCall, type ShippedData, type ShippedFunction, type ShippedValue } from "./types";

/** A rebuilt call: run it to call the target; `instance` is the rebuilt object for a method call. */
export type UnpackedCall = (() => unknown) & { instance?: object; targetName: string };

type Env = [set: (values: unknown[]) => void, make: () => unknown];
type Factory = () => Env;

const compiled = new Map<string, Factory>();
const MAX_COMPILED = 500;
const RESERVED = new Set(["arguments", "eval", "this", "undefined", "NaN", "Infinity", "globalThis"]);

function factoryOf(fn: ShippedFunction, names: string[]): Factory {
  const origin = fn.origin;
  const pad = origin && origin.column > 0 ? " ".repeat(origin.column) : "";
  const decl = names.length > 0 ? `let ${names.join(", ")}; ` : "";
  const assign = names.map((n, i) => `${n} = __spindle_v[${i}];`).join(" ");
  // The expression starts on its own line, padded to its original column, so stack traces show the
  // original file, line and (for the first line, nearly) column.
  const code =
    `${SHIPPED_WRAPPER}${decl}return [function (__spindle_v) { ${assign} }, function () { return (\n` +
    `${pad.slice(0, Math.max(0, pad.length - 1))}${fn.expr}\n); }]; })`;
  let factory = compiled.get(code);
  if (!factory) {
    const script = new vm.Script(code, {
      filename: origin?.file || `spindle-shipped:${fn.name || "anonymous"}`,
      lineOffset: origin ? origin.line - 1 : 0,
    });
    factory = script.runInThisContext() as Factory;
    if (compiled.size >= MAX_COMPILED) compiled.delete(compiled.keys().next().value as string);
    compiled.set(code, factory);
  }
  return factory;
}

class Unpacker {
  readonly #made: unknown[] = [];
  readonly #state: Array<"making" | "done" | undefined> = [];
  readonly #envs: Array<{ env: Env; fn: ShippedFunction; names: string[]; made: Function }> = [];
  readonly #namespaces: object[];
  #sawCycle = false;

  constructor(readonly data: Pick<ShippedCall, "objects" | "namespaces">) {
    this.#namespaces = data.namespaces.map((ns) => {
      const obj: Record<string, unknown> = {};
      for (const [name, packed] of ns.entries) {
        // Resolved on first read, so that a class extending a name from the store finds it built.
        Object.defineProperty(obj, name, {
          configurable: true,
          enumerable: true,
          get: () => {
            const value = this.value(packed);
            Object.defineProperty(obj, name, { value, writable: true, configurable: true, enumerable: true });
            return value;
          },
          set: (value: unknown) => {
            Object.defineProperty(obj, name, { value, writable: true, configurable: true, enumerable: true });
          },
        });
      }
      return obj;
    });
  }

  value(v: ShippedValue): unknown {
    switch (v.k) {
      case "copy":
        return v.v;
      case "obj":
        return this.#object(v.id);
      case "ref":
        return unpackRef(v.ref, { unpack: (inner) => this.value(inner) });
      case "mod":
        return loadModule(v.mod);
      case "rec": {
        const out: Record<string, unknown> = {};
        for (const [key, item] of v.entries) out[key] = this.value(item);
        return out;
      }
      case "arr":
        return v.items.map((item) => this.value(item));
      case "ns":
        return this.#namespaces[v.id];
    }
  }

  /** Binds every function's captures again now that all objects exist (cycles between functions). */
  finish(): void {
    if (!this.#sawCycle) return;
    for (const { env, fn, made } of this.#envs) {
      const values = fn.captures.map(([, v]) => this.value(v));
      env[0](values);
      if (inspectorDenied()) registerCaptures(made, new Map(fn.captures.map(([n], i) => [n, values[i]])));
    }
  }

  #object(id: number): unknown {
    const state = this.#state[id];
    if (state === "making") this.#sawCycle = true;
    if (state === "done" || state === "making") return this.#made[id];
    const entry = this.data.objects[id];
    if (entry === undefined) {
      throw new ShippingError(
        `Shipped data names object #${id}, which it does not hold; the data is corrupt.`,
        "ERR_SPINDLE_SHIP_UNKNOWN_REF",
      );
    }
    this.#state[id] = "making";
    if (entry.t === "inst") {
      const cls = this.value(entry.cls) as { prototype: object };
      const obj = Object.create(cls.prototype) as Record<string, unknown>;
      this.#made[id] = obj;
      for (const [key, field] of entry.fields) obj[key] = this.value(field);
    } else {
      const names = entry.captures.map(([n]) => n).filter((n) => !RESERVED.has(n));
      const env = factoryOf(entry, names)();
      const byName = new Map(entry.captures);
      const values = names.map((n) => this.value(byName.get(n)!));
      env[0](values);
      this.#made[id] = env[1]();
      if (inspectorDenied()) registerCaptures(this.#made[id] as Function, new Map(names.map((n, i) => [n, values[i]])));
      this.#envs.push({
        env,
        fn: { ...entry, captures: names.map((n) => [n, byName.get(n)!]) },
        names,
        made: this.#made[id] as Function,
      });
    }
    this.#state[id] = "done";
    return this.#made[id];
  }
}

/** Rebuilds a shipped call. Throws what the rebuilding throws (e.g. a module that fails to load). */
export function unpackCall(call: ShippedCall): UnpackedCall {
  const u = new Unpacker(call);
  const target = u.value(call.target);
  const args = call.args.map((a) => u.value(a));
  const kwargs = call.kwargs === undefined ? undefined : u.value(call.kwargs);
  u.finish();
  if (kwargs !== undefined) args.push(kwargs);
  if (call.method !== undefined) {
    const instance = target as Record<string, unknown>;
    const method = call.method;
    const run = () => (instance[method] as (...a: unknown[]) => unknown)();
    return Object.assign(run, { instance, targetName: `${instance.constructor?.name ?? "object"}.${method}` });
  }
  const fn = target as (...a: unknown[]) => unknown;
  return Object.assign(() => fn(...args), { targetName: fn.name });
}

/** Rebuilds a value packed with `packValue`. */
export function unpackValue(data: ShippedData): unknown {
  const u = new Unpacker(data);
  const value = u.value(data.value);
  u.finish();
  return value;
}
