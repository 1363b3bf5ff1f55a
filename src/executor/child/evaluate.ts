/**
 * Runs compiled cells in the executor's own realm (not a fresh vm context:
 * a second realm breaks `instanceof Object` and cloning). Every top-level name
 * lives on one store object; cells get a `require` that resolves the store,
 * `spindle/...` modules and packages next to the notebook.
 */
import { createRequire } from "node:module";
import path from "node:path";
import vm from "node:vm";
import { registerTopLevelScope } from "../../concurrency/shipping";
import { registerImportAlias, registerNamespace, type NamespaceInfo } from "../../runtime/namespaces";
import { runInCell, type CellContext } from "../../runtime/cell-context";
import { CELLS_MODULE } from "./compile/cell-source";
import { cellFileName, registerCellMap, relabelCell } from "./source-maps";
import { cellTimers, TIMER_NAMES } from "./cell-timers";

type CellFunction = (this: unknown, ...args: unknown[]) => Promise<unknown>;

const MAX_REUSED_SCRIPTS = 64;

/** `const threading_1 = require("spindle/threading");`, possibly inside an interop helper. */
const IMPORT_ALIAS = /^(?:const|var|let) (\w+) = (?:(__importStar|__importDefault)\()?require\("([^"]+)"\)\)?;$/gm;

const WRAPPER = `(async function (exports, require, module, __filename, __dirname, ${TIMER_NAMES.join(", ")}) {`;

/** A promise that is settled from outside too (the interrupt handler rejects it). */
export interface Settleable<T> {
  promise: Promise<T>;
  /** True once resolved or rejected. */
  readonly settled: boolean;
  resolve(value: T): void;
  reject(reason: unknown): void;
}

/** Creates a promise with its resolve/reject exposed; the first settle wins. */
export function settleable<T>(): Settleable<T> {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  let settled = false;
  const promise = new Promise<T>((res, rej) => {
    resolve = (v) => {
      settled = true;
      res(v);
    };
    reject = (e) => {
      settled = true;
      rej(e);
    };
  });
  return {
    promise,
    resolve,
    reject,
    get settled() {
      return settled;
    },
  };
}

/** Evaluates compiled cells against the shared store. */
export class CellRunner {
  /** Every top-level name of every cell. */
  readonly store: Record<string, unknown> = {};
  readonly #require: NodeRequire;
  readonly #cwd: string;
  readonly #modules: Map<string, string>;
  readonly #timers = ((t) => TIMER_NAMES.map((name) => t[name]))(cellTimers());
  /** Objects cells reach with `require(id)` that are not modules on disk (the magics' host). */
  readonly #provided = new Map<string, unknown>();
  /** Recently compiled cell wrappers by source, oldest first: a cell run again skips compiling. */
  readonly #scripts = new Map<string, { label: string; fn: CellFunction }>();
  /** The names compiled cells give `require("./__cells__")` (the store). */
  readonly #storeAliases = new Set<string>(["exports"]);

  /** `modules` maps `spindle/...` specifiers to files; `info` describes the store's names. */
  constructor(cwd: string, modules: Map<string, string>, info: NamespaceInfo) {
    this.#cwd = cwd;
    this.#modules = modules;
    registerNamespace(this.store, info);
    const base = createRequire(path.join(cwd, "__spindle_cell__.js"));
    const store = this.store;
    const provided = this.#provided;
    const cellRequire = ((id: string): unknown => {
      if (id === CELLS_MODULE) return store;
      if (provided.has(id)) return provided.get(id);
      const spindle = modules.get(id);
      if (spindle !== undefined) return require(spindle);
      return base(id);
    }) as NodeRequire;
    cellRequire.resolve = base.resolve;
    cellRequire.cache = base.cache;
    cellRequire.extensions = base.extensions;
    cellRequire.main = base.main;
    this.#require = cellRequire;
    this.#registerScope();
  }

  /** Where the inspector is denied, code shipping reads a cell function's closure from what a cell's top level holds. */
  #registerScope(): void {
    const aliases = this.#storeAliases;
    const store = this.store;
    const timers = new Map(TIMER_NAMES.map((name, i) => [name as string, this.#timers[i]]));
    const fixed = new Map<string, unknown>([
      ["require", this.#require],
      ["__dirname", this.#cwd],
    ]);
    registerTopLevelScope((name) => {
      if (aliases.has(name)) return { value: store };
      if (fixed.has(name)) return { value: fixed.get(name) };
      if (timers.has(name)) return { value: timers.get(name) };
      // A cell's functions and classes are also locals of its wrapper, the same values as on the store.
      if (Object.hasOwn(store, name)) return { value: store[name] };
      return undefined;
    });
  }

  /** Makes `require(id)` in cells return `value`. */
  provide(id: string, value: unknown): void {
    this.#provided.set(id, value);
  }

  /** Turns compiled JavaScript into a runnable cell; `code` is the TypeScript the user wrote. */
  prepare(label: string, js: string, sourceMap: string, code: string, sourceShift: number): () => Promise<unknown> {
    const key = `${sourceShift}\0${code}\0${js}`;
    let compiled = this.#scripts.get(key);
    if (compiled) {
      // The same cell run again: its compiled wrapper is reused, and its frames are shown under the new label.
      this.#scripts.delete(key);
      relabelCell(compiled.label, label);
    } else {
      this.#recordImportAliases(js);
      const script = new vm.Script(`${WRAPPER}${js}\n})`, { filename: cellFileName(label) });
      registerCellMap(label, sourceMap, code, WRAPPER.length, sourceShift);
      compiled = { label, fn: script.runInThisContext() as CellFunction };
      if (this.#scripts.size >= MAX_REUSED_SCRIPTS) this.#scripts.delete(this.#scripts.keys().next().value as string);
    }
    this.#scripts.set(key, compiled);
    const fn = compiled.fn;
    const filename = path.join(this.#cwd, cellFileName(label));
    const moduleObject = { exports: this.store, id: filename, filename, loaded: true };
    return () => fn.call(this.store, this.store, this.#require, moduleObject, filename, this.#cwd, ...this.#timers);
  }

  /** Tells code shipping which module each `x_1 = require(...)` alias of the cell stands for. */
  #recordImportAliases(js: string): void {
    for (const m of js.matchAll(IMPORT_ALIAS)) {
      const [, alias, helper, spec] = m;
      if (alias === undefined || spec === undefined) continue; // both groups always match; this tells the compiler
      if (spec === CELLS_MODULE) {
        this.#storeAliases.add(alias);
        continue;
      }
      let request: string;
      try {
        request = this.#modules.get(spec) ?? this.#require.resolve(spec);
      } catch {
        continue; // The require will fail at run time with Node's own message.
      }
      registerImportAlias(alias, {
        request,
        interop: helper === "__importStar" ? "star" : helper === "__importDefault" ? "default" : "none",
      });
    }
  }

  /**
   * Runs a prepared cell as the only JavaScript of a fresh macrotask, so that
   * an interrupt that has to terminate the main thread's JavaScript ends the
   * user's code and nothing of Spindle's; `done` settles with the cell's value.
   */
  start(cell: CellContext, run: () => Promise<unknown>, done: Settleable<unknown>): void {
    runInCell(cell, () =>
      setImmediate(() => {
        // Interrupted between compiling and running: the cell does not start at all.
        if (done.settled) return;
        let result: Promise<unknown>;
        try {
          result = run();
        } catch (err) {
          done.reject(err);
          return;
        }
        result.then(done.resolve, done.reject);
      }),
    );
  }
}
