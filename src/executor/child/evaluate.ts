/**
 * Runs compiled cells in the executor's own realm (not a fresh vm context:
 * a second realm breaks `instanceof Object` and cloning). Every top-level name
 * lives on one store object; cells get a `require` that resolves the store,
 * `spindle/...` modules and packages next to the notebook.
 */
import { createRequire } from "node:module";
import path from "node:path";
import vm from "node:vm";
import { registerNamespace, type NamespaceInfo } from "../../runtime/namespaces";
import { runInCell, type CellContext } from "../../runtime/cell-context";
import { CELLS_MODULE } from "./compile/cell-source";
import { cellFileName, registerCellMap } from "./source-maps";

type CellFunction = (this: unknown, ...args: unknown[]) => Promise<unknown>;

const WRAPPER = "(async function (exports, require, module, __filename, __dirname) {";

/** A promise that is settled from outside too (the interrupt handler rejects it). */
export interface Settleable<T> {
  promise: Promise<T>;
  resolve(value: T): void;
  reject(reason: unknown): void;
}

/** Creates a promise with its resolve/reject exposed; the first settle wins. */
export function settleable<T>(): Settleable<T> {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** Evaluates compiled cells against the shared store. */
export class CellRunner {
  /** Every top-level name of every cell. */
  readonly store: Record<string, unknown> = {};
  readonly #require: NodeRequire;
  readonly #cwd: string;

  /** `modules` maps `spindle/...` specifiers to files; `info` describes the store's names. */
  constructor(cwd: string, modules: Map<string, string>, info: NamespaceInfo) {
    this.#cwd = cwd;
    registerNamespace(this.store, info);
    const base = createRequire(path.join(cwd, "__spindle_cell__.js"));
    const store = this.store;
    const cellRequire = ((id: string): unknown => {
      if (id === CELLS_MODULE) return store;
      const spindle = modules.get(id);
      if (spindle !== undefined) return require(spindle);
      return base(id);
    }) as NodeRequire;
    cellRequire.resolve = base.resolve;
    cellRequire.cache = base.cache;
    cellRequire.extensions = base.extensions;
    cellRequire.main = base.main;
    this.#require = cellRequire;
  }

  /** Turns compiled JavaScript into a runnable cell; `code` is the TypeScript the user wrote. */
  prepare(label: string, js: string, sourceMap: string, code: string, sourceShift: number): () => Promise<unknown> {
    const script = new vm.Script(`${WRAPPER}${js}\n})`, { filename: cellFileName(label) });
    registerCellMap(label, sourceMap, code, WRAPPER.length, sourceShift);
    const fn = script.runInThisContext() as CellFunction;
    const filename = path.join(this.#cwd, cellFileName(label));
    const moduleObject = { exports: this.store, id: filename, filename, loaded: true };
    return () => fn.call(this.store, this.store, this.#require, moduleObject, filename, this.#cwd);
  }

  /**
   * Runs a prepared cell as the only JavaScript of a fresh macrotask, so that
   * an interrupt that has to terminate the main thread's JavaScript ends the
   * user's code and nothing of Spindle's; `done` settles with the cell's value.
   */
  start(cell: CellContext, run: () => Promise<unknown>, done: Settleable<unknown>): void {
    runInCell(cell, () =>
      setImmediate(() => {
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
