/**
 * Packing: turns a function (or a class instance) plus its arguments into a
 * `ShippedCall` — plain data another thread or process can rebuild.
 *
 * Rules (the same for threads and processes):
 * - functions and classes travel as source, with the names they use from
 *   around them, recursively;
 * - names read from a cell store (`__cells__1.x`) are packed by the kind the
 *   store reports; a captured `let`/`var` is an error (a copy would silently
 *   stop being shared), as is anything that cannot be copied;
 * - values implementing `[shipRef]` (locks, queues, shared records) travel by
 *   reference; modules are required again on the far side;
 * - plain data is copied; a class instance is rebuilt from its class and fields.
 */
import { importAlias, isGlobalStandIn, namespaceInfo, type NamespaceInfo } from "../../runtime/namespaces";
import { ShippingError } from "./errors";
import { freeNamesOf, bindingsInScript, SUPER_NAME, typescript } from "./free-names";
import { inspectorAvailable, readClosure, scriptSource, scriptUrl, offsetOf, originAt } from "./closure";
import { exportSpecOf, loadModule, moduleSpecOf } from "./modules";
import type { BindingKind } from "./scopes";
import {
  shipRef,
  SHIPPED_WRAPPER,
  type ByReference,
  type ShipDestination,
  type ShippedCall,
  type ShippedData,
  type ShippedFunction,
  type ShippedInstance,
  type ShippedNamespace,
  type ShippedValue,
  type SourceOrigin,
} from "./types";
import { isPlainData, describeValue } from "./plain-data";

/** Options shared by `packCall` and `packValue`. */
export interface PackOptions {
  /** Where the result will be unpacked. */
  for: ShipDestination;
  /** How to name the shipped thing in error messages, e.g. "Thread target 'work'". */
  what?: string;
  /** Called for every by-reference value packed under a user-visible name (e.g. to name locks in reports). */
  onRef?: (value: object, path: string) => void;
}

/** A function's free names resolved once: values from its closure, and how each was declared. */
interface FunctionPlan {
  expr: string;
  name: string;
  origin?: SourceOrigin;
  captures: Array<{ name: string; value: unknown; kind: BindingKind | undefined; members?: Set<string> }>;
  /** False when a captured binding may change (a parameter): the closure is read again next time. */
  stable: boolean;
  /** The source uses `#private` members (an instance rebuilt without its constructor cannot have them). */
  privateNames: boolean;
}

const plans = new WeakMap<Function, FunctionPlan>();

/** Packs `target(...args, kwargs)` — or `target.run()` when `target` is an object with a `method` to call. */
export function packCall(
  target: Function | object,
  args: readonly unknown[],
  kwargs: unknown,
  options: PackOptions & { method?: string },
): ShippedCall {
  const packer = new Packer(options);
  const what = options.what ?? "The shipped function";
  if (typeof target !== "function" && (typeof target !== "object" || target === null)) {
    throw new ShippingError(
      `${what} must be a function or an object with a method (got ${typeof target}).`,
      "ERR_SPINDLE_SHIP_NOT_CALLABLE",
    );
  }
  if (
    typeof target === "object" &&
    typeof (target as Record<string, unknown>)[options.method ?? "run"] !== "function"
  ) {
    throw new ShippingError(
      `${what} has no method '${options.method ?? "run"}' to call.`,
      "ERR_SPINDLE_SHIP_NOT_CALLABLE",
    );
  }
  const packedTarget =
    typeof target === "function" ? packer.packFunction(target, "target") : packer.packInstance(target, "this");
  const packedArgs = args.map((a, i) => packer.pack(a, `args[${i}]`));
  const packedKwargs = kwargs === undefined ? undefined : packer.pack(kwargs, "kwargs");
  return {
    v: 1,
    dest: options.for,
    objects: packer.objects,
    namespaces: packer.namespaces,
    target: packedTarget,
    method: typeof target === "function" ? undefined : (options.method ?? "run"),
    args: packedArgs,
    kwargs: packedKwargs,
  };
}

/**
 * Pays packing's one-time costs now (loading the TypeScript parser, connecting the inspector session and
 * its script list), so that the first `start()` does not: the executor calls it while idle.
 */
export function warmUpShipping(): void {
  typescript();
  freeNamesOf("(x) => x + y", "warm-up");
  readClosure(warmUpShipping, []);
  exportSpecOf(warmUpShipping); // indexes the exports of the modules loaded so far
}

/** Packs one value by the same rules (used for results, queue items, instance fields sent back). */
export function packValue(value: unknown, options: PackOptions & { path?: string }): ShippedData {
  const packer = new Packer(options);
  const packed = packer.pack(value, options.path ?? "value");
  return { v: 1, dest: options.for, objects: packer.objects, namespaces: packer.namespaces, value: packed };
}

class Packer {
  readonly objects: Array<ShippedFunction | ShippedInstance> = [];
  readonly namespaces: ShippedNamespace[] = [];
  readonly #ids = new Map<object, number>();
  readonly #nsIds = new Map<object, { id: number; names: Set<string> }>();

  constructor(readonly options: PackOptions) {}

  get what(): string {
    return this.options.what ?? "The shipped function";
  }

  pack(value: unknown, path: string): ShippedValue {
    if (value === null || (typeof value !== "object" && typeof value !== "function")) {
      if (typeof value === "symbol")
        this.#uncloneable(value, path, "a symbol has no meaning in another thread or process");
      return { k: "copy", v: value };
    }
    const id = this.#ids.get(value);
    if (id !== undefined) return { k: "obj", id };
    if (shipRef in value) {
      this.options.onRef?.(value, path);
      const ref = (value as ByReference)[shipRef]({ dest: this.options.for, path, pack: (v, p) => this.pack(v, p) });
      return { k: "ref", ref };
    }
    const mod = moduleSpecOf(value);
    if (mod) return { k: "mod", mod };
    const ns = namespaceInfo(value);
    if (ns) return this.#packNamespace(value, ns, undefined, path);
    if (typeof value === "function") return this.packFunction(value, path);
    const problem = isPlainData(value, this.options.for);
    if (problem === undefined) return { k: "copy", v: value };
    if (Array.isArray(value)) return { k: "arr", items: value.map((item, i) => this.pack(item, `${path}[${i}]`)) };
    const proto: unknown = Object.getPrototypeOf(value);
    if (proto === Object.prototype || proto === null) {
      return {
        k: "rec",
        entries: Object.keys(value).map((key) => [
          key,
          this.pack((value as Record<string, unknown>)[key], `${path}.${key}`),
        ]),
      };
    }
    if (isUserClassInstance(value)) return this.packInstance(value, path);
    return this.#uncloneable(value, path, problem);
  }

  packFunction(fn: Function, path: string): ShippedValue {
    const known = this.#ids.get(fn);
    if (known !== undefined) return { k: "obj", id: known };
    const exported = exportSpecOf(fn);
    if (exported) return { k: "mod", mod: exported };
    const plan = this.#plan(fn, path);
    const id = this.objects.length;
    const entry: ShippedFunction = { t: "fn", name: plan.name, expr: plan.expr, captures: [], origin: plan.origin };
    this.objects.push(entry);
    this.#ids.set(fn, id);
    for (const cap of plan.captures) {
      entry.captures.push([cap.name, this.#packCapture(cap.name, cap.value, cap.kind, cap.members, plan.name)]);
    }
    return { k: "obj", id };
  }

  packInstance(obj: object, path: string): ShippedValue {
    const known = this.#ids.get(obj);
    if (known !== undefined) return { k: "obj", id: known };
    const proto = Object.getPrototypeOf(obj) as { constructor?: unknown } | null;
    const cls = proto?.constructor;
    if (typeof cls !== "function" || cls.prototype !== proto) {
      return this.#uncloneable(obj, path, "its class cannot be found from its prototype");
    }
    const id = this.objects.length;
    const entry: ShippedInstance = { t: "inst", cls: { k: "copy", v: undefined }, fields: [] };
    this.objects.push(entry);
    this.#ids.set(obj, id);
    entry.cls = this.packFunction(cls, `${path}.constructor`);
    for (let c: unknown = cls; typeof c === "function" && c !== Function.prototype; c = Object.getPrototypeOf(c)) {
      if (exportSpecOf(c)) break;
      if (plans.get(c)?.privateNames) {
        throw new ShippingError(
          `${this.what} uses '${path}', an instance of ${c.name || "a class"} with #private members. Another thread rebuilds the ` +
            `object from its class and fields without running the constructor, and #private members cannot be rebuilt that way. ` +
            `Use ordinary fields (e.g. \`_count\` instead of \`#count\`).`,
          "ERR_SPINDLE_SHIP_UNCLONEABLE",
        );
      }
    }
    for (const key of Object.keys(obj)) {
      entry.fields.push([key, this.pack((obj as Record<string, unknown>)[key], `${path}.${key}`)]);
    }
    return { k: "obj", id };
  }

  #packCapture(
    name: string,
    value: unknown,
    kind: BindingKind | undefined,
    members: Set<string> | undefined,
    fnName: string,
  ): ShippedValue {
    const ns = namespaceInfo(value);
    if (ns && typeof value === "object" && value !== null) return this.#packNamespace(value, ns, members, name);
    const mod = moduleSpecOf(value);
    if (mod) return { k: "mod", mod };
    if (kind === "let" || kind === "var") throw this.#mutableCapture(fnName, name, kind, undefined);
    return this.pack(value, name);
  }

  #packNamespace(store: object, info: NamespaceInfo, members: Set<string> | undefined, path: string): ShippedValue {
    let ns = this.#nsIds.get(store);
    if (!ns) {
      ns = { id: this.namespaces.length, names: new Set() };
      this.#nsIds.set(store, ns);
      this.namespaces.push({ entries: [] });
    }
    const wanted = members ?? new Set(Object.keys(store).filter((k) => !isMutableKind(info.kindOf(k))));
    for (const name of wanted) {
      if (ns.names.has(name)) continue;
      const kind = info.kindOf(name);
      // No kind: not a cell name, or one of the running cell's own (the store learns their kinds when the
      // cell ends). Values present on the store are packed by what they are.
      if (kind === undefined && !Object.hasOwn(store, name)) continue;
      if (kind !== undefined && isMutableKind(kind))
        throw this.#mutableCapture(undefined, name, kind, info.whereIs?.(name));
      ns.names.add(name);
      const packed = this.pack((store as Record<string, unknown>)[name], name);
      this.namespaces[ns.id]!.entries.push([name, packed]);
    }
    void path;
    return { k: "ns", id: ns.id };
  }

  #plan(fn: Function, path: string): FunctionPlan {
    const cached = plans.get(fn);
    if (cached?.stable) return cached;
    const source = Function.prototype.toString.call(fn);
    const label = fn.name ? `'${fn.name}'` : `(anonymous, ${path})`;
    if (/\{\s*\[native code\]\s*\}\s*$/.test(source)) {
      throw new ShippingError(
        `${this.what} uses ${label}, a built-in or bound function, which has no source to send. Call it from inside your own function instead (e.g. \`(x) => Math.max(x, 0)\`), or pass plain values in args.`,
        "ERR_SPINDLE_SHIP_NATIVE_FUNCTION",
      );
    }
    const free = cached ? undefined : freeNamesOf(source, `${this.what} (${label})`);
    const names = free?.names ?? cached!.captures.map((c) => c.name);
    const closure = readClosure(fn, names);
    addImportAliases(closure.values, names);
    if (!closure.location && !inspectorAvailable()) this.#checkUnread(names, closure.values, label);
    let origin = cached?.origin;
    let kinds = new Map<string, BindingKind>();
    if (closure.location) {
      const url = scriptUrl(closure.location.scriptId) ?? "";
      if (url.startsWith("node:")) {
        throw new ShippingError(
          `${this.what} uses ${label}, which is part of Node.js itself (${url}) and cannot be sent. Use it from inside your own function.`,
          "ERR_SPINDLE_SHIP_NATIVE_FUNCTION",
        );
      }
      const needKinds = [...closure.values].filter(([, v]) => !namespaceInfo(v) && !moduleSpecOf(v)).map(([n]) => n);
      const script = needKinds.length > 0 || !origin ? scriptSource(closure.location.scriptId) : undefined;
      if (script !== undefined) {
        const near = offsetOf(script, closure.location.line, closure.location.column);
        if (needKinds.length > 0) {
          const found = bindingsInScript(script, source, near, needKinds);
          if (found) {
            // A function that itself arrived shipped holds its captures in the `let`s of unpack's wrapper; they were
            // checked as constants where they were written, so a thread started in a child process may take them on.
            kinds = script.startsWith(SHIPPED_WRAPPER)
              ? new Map([...found.kinds].map(([n, k]) => [n, isMutableKind(k) ? "const" : k]))
              : found.kinds;
            origin = originAt(script, found.start, url);
          }
        } else {
          const start = script.lastIndexOf(source, near);
          if (start >= 0) origin = originAt(script, start, url);
        }
      }
      origin ??= { file: url, line: closure.location.line, column: closure.location.column };
    }
    const members =
      free?.members ?? new Map(cached!.captures.filter((c) => c.members).map((c) => [c.name, c.members!]));
    if (names.includes(SUPER_NAME)) closure.values.set(SUPER_NAME, Object.getPrototypeOf(fn));
    const captures = [...closure.values].map(([name, value]) => ({
      name,
      value,
      kind: kinds.get(name),
      members: members.get(name),
    }));
    const plan: FunctionPlan = {
      expr: free?.expr ?? cached!.expr,
      name: fn.name,
      origin,
      captures,
      stable: captures.every((c) => c.kind !== "param" && c.kind !== "catch"),
      privateNames: free?.privateNames ?? cached!.privateNames,
    };
    plans.set(fn, plan);
    return plan;
  }

  /** Without the inspector a local of an enclosing function cannot be read: say so now, not as a far-side error. */
  #checkUnread(names: readonly string[], values: ReadonlyMap<string, unknown>, label: string): void {
    const unread = names.filter((n) => !values.has(n) && n !== SUPER_NAME && !(n in globalThis));
    if (unread.length === 0) return;
    const list = unread.map((n) => `'${n}'`).join(", ");
    throw new ShippingError(
      `${this.what} uses ${list} from ${label}'s surroundings, which cannot be read here: this process runs under ` +
        "Node's permission model (the grading sandbox's fallback), where only names defined at a cell's top level " +
        `travel to another ${this.options.for}. Pass ${unread.length === 1 ? "it" : "them"} in \`args\`, or define ` +
        `${unread.length === 1 ? "it" : "them"} at the top level of a cell.`,
      "ERR_SPINDLE_SHIP_UNKNOWN_REF",
    );
  }

  #mutableCapture(fnName: string | undefined, name: string, kind: string, where: string | undefined): ShippingError {
    const inFn = fnName ? ` (used by '${fnName}')` : "";
    return new ShippingError(
      `${this.what} uses '${name}'${inFn}, a \`${kind}\`${where ? ` from ${where}` : ""}. Another thread or process gets a copy of what it uses, ` +
        `so changes to '${name}' would not be shared. Make it a \`const\` if it never changes; to share a changing value use ` +
        `\`shared({ ${name}: … })\` (or a Queue, Lock or other primitive); or pass it in \`args\`.`,
      "ERR_SPINDLE_SHIP_MUTABLE_CAPTURE",
    );
  }

  #uncloneable(value: unknown, path: string, why: string): never {
    throw new ShippingError(
      `${this.what} uses '${path}' (${describeValue(value)}), which cannot be sent to another ${this.options.for}: ${why}. ` +
        `Pass plain data (numbers, strings, arrays, plain objects) in \`args\`, share state with \`shared(...)\`, or create the object inside the ${this.options.for}.`,
      "ERR_SPINDLE_SHIP_UNCLONEABLE",
    );
  }
}

function isMutableKind(kind: string | undefined): boolean {
  return kind === "let" || kind === "var";
}

/** An object made by a user-defined class (its constructor has source, not native code). */
function isUserClassInstance(value: object): boolean {
  const proto = Object.getPrototypeOf(value) as { constructor?: unknown } | null;
  const cls = proto?.constructor;
  if (typeof cls !== "function" || cls.prototype !== proto) return false;
  return !/\{\s*\[native code\]\s*\}\s*$/.test(Function.prototype.toString.call(cls));
}

/**
 * A compiled cell's import alias (`threading_1`) that the closure does not
 * hold — V8 keeps only what a closure reads, and an `extends threading_1.Thread`
 * is read once — is the module the executor recorded for it.
 */
function addImportAliases(values: Map<string, unknown>, names: readonly string[]): void {
  // A cell's stand-ins for globals (its timers) stay behind: the far side has the real ones.
  for (const [name, value] of values) if (isGlobalStandIn(value)) values.delete(name);
  for (const name of names) {
    if (values.has(name)) continue;
    const alias = importAlias(name);
    if (!alias) continue;
    const builtin = !alias.request.startsWith("/") && !/^[A-Za-z]:\\/.test(alias.request);
    const interop = alias.interop === "none" ? undefined : alias.interop;
    values.set(
      name,
      loadModule(
        builtin ? { kind: "builtin", name: alias.request, interop } : { kind: "file", file: alias.request, interop },
      ),
    );
  }
}
