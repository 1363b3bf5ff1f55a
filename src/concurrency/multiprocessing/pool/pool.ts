/**
 * `Pool` (processes) and `ThreadPool` (worker threads), Python's
 * `multiprocessing.Pool` API over one engine. Results come back in input
 * order for map/imap/starmap; callbacks run in this (the parent) process, under
 * the cell that submitted the task. Leaving a scoped pool (`Pool.with`,
 * `await using`) terminates it — pending work is dropped; `close()` then
 * `await join()` is the graceful form.
 */
import { currentCell, runInCell, writeStream, type CellContext } from "../../../runtime/cell-context";
import { warnIfOverQuota } from "../../../runtime/resources";
import { timeScale } from "../../time/scale";
import { libraryProgress } from "../../../runtime/library-progress";
import { cpuCount } from "../../../runtime/resources";
import { ProcessStateError } from "../errors";
import { encode } from "../handles";
import { hubLink } from "../link";
import { shipCode, type ShippedCode } from "../ship";
import { AsyncResult } from "./async-result";
import { PoolEngine, type Chunk } from "./engine";
import { packNumbers } from "./packed";
import { processWorkers, threadWorkers, type WorkerFactory } from "./transport";

/** Options of `new Pool(...)` (Python's keyword arguments). */
export interface PoolOptions {
  /** Number of workers (default: cpuCount(), which honours CPU_LIMIT and cgroup quotas). */
  processes?: number;
  /** Called once in each worker before its first task. */
  initializer?: (...args: never[]) => unknown;
  /** Arguments for `initializer`. */
  initargs?: unknown[];
}

/** Callbacks of applyAsync / mapAsync; both run in this process. */
export interface ResultCallbacks<R> {
  /** Called with the result when the task succeeds. */
  callback?: (result: R) => unknown;
  /** Called with the error when the task fails. */
  errorCallback?: (error: unknown) => unknown;
}

type AnyFn = (...args: never[]) => unknown;
type Result<F extends AnyFn> = Awaited<ReturnType<F>>;

let fnKeys = 0;

/** Python's default map chunk size: ceil(len / (4 × workers)). */
export function defaultChunksize(length: number, workers: number): number {
  if (length === 0) return 0;
  return Math.ceil(length / (workers * 4));
}

/** A pool of worker processes. */
export class Pool {
  readonly #engine: PoolEngine;
  readonly #size: number;
  readonly #keys = new WeakMap<object, { key: number; code: ShippedCode }>();
  readonly #cell: CellContext | undefined;
  readonly #untrack: (() => void) | undefined;
  #state: "run" | "close" | "terminate" = "run";
  readonly #dest: "process" | "thread";

  /** The kind of worker; ThreadPool overrides it. */
  protected static workers: WorkerFactory = processWorkers;
  /** Name used in messages. */
  protected static kindName = "Pool";

  /** Creates a pool of `processes` workers (default: the CPUs available), or takes an options object. */
  constructor(processes?: number | PoolOptions | null, options: PoolOptions = {}) {
    const opts: PoolOptions =
      typeof processes === "object" && processes !== null
        ? processes
        : { ...options, processes: processes ?? undefined };
    const size = opts.processes ?? cpuCount();
    if (!Number.isInteger(size) || size < 1)
      throw new ProcessStateError(`Number of processes must be at least 1 (got ${size}).`, "ERR_SPINDLE_BAD_POOL_SIZE");
    const ctor = new.target as unknown as typeof Pool;
    if (ctor.workers === processWorkers && hubLink()) {
      throw new ProcessStateError(
        "Creating a process Pool inside a child process is not supported; use a ThreadPool there, or create the Pool in the notebook.",
        "ERR_SPINDLE_NESTED_PROCESS",
      );
    }
    this.#size = size;
    this.#cell = currentCell();
    if (opts.processes != null) warnIfOverQuota(size, `${ctor.kindName}(${size})`, this.#cell);
    const dest = ctor.workers === threadWorkers ? "thread" : "process";
    this.#dest = dest;
    const init = opts.initializer ? shipCode(opts.initializer, "The Pool initializer", dest) : undefined;
    const initargs = encode(opts.initargs ?? [], "Pool initargs") as unknown[];
    this.#engine = new PoolEngine({
      size,
      factory: ctor.workers,
      kindName: ctor.kindName,
      cell: this.#cell,
      setup: (w, i) =>
        w.send({
          t: "pool",
          name: `${ctor.kindName}Worker-${i + 1}`,
          timeScale: timeScale(),
          initializer: init,
          initargs,
        }),
    });
    this.#untrack = this.#cell?.track({ interrupt: () => this.terminate() });
  }

  /** Runs `fn` with a new pool and terminates the pool afterwards, on every path (Python's `with Pool(n) as pool:`). */
  static async with<P extends Pool, T>(
    this: new (
      processes?: number | PoolOptions | null,
    ) => P,
    processes: number | PoolOptions | null | undefined,
    fn: (pool: P) => T | Promise<T>,
  ): Promise<Awaited<T>> {
    const pool = new this(processes);
    try {
      return await fn(pool);
    } finally {
      await pool.terminate();
    }
  }

  /** The number of workers. */
  get size(): number {
    return this.#size;
  }

  /** pids (Pool) or thread ids (ThreadPool) of the workers now. */
  get workerIds(): number[] {
    return this.#engine.workerIds;
  }

  #checkRunning(what: string): void {
    if (this.#state !== "run")
      throw new ProcessStateError(
        `${what} on a pool that is ${this.#state === "close" ? "closed" : "terminated"}; create a new Pool.`,
        "ERR_SPINDLE_POOL_NOT_RUNNING",
      );
  }

  #fn(fn: AnyFn): { key: number; code: ShippedCode } {
    let k = this.#keys.get(fn);
    if (!k) {
      k = { key: ++fnKeys, code: shipCode(fn, `The pool task function${fn.name ? ` '${fn.name}'` : ""}`, this.#dest) };
      this.#keys.set(fn, k);
    }
    return k;
  }

  /** Runs a user callback under the submitting cell; its errors are printed, never lost. */
  #callback(cell: CellContext | undefined, cb: ((v: never) => unknown) | undefined, value: unknown): void {
    if (!cb) return;
    const run = (): void => {
      try {
        const r = cb(value as never);
        if (r instanceof Promise)
          r.catch((e: unknown) =>
            writeStream("stderr", `Error in pool callback: ${(e as Error)?.stack ?? String(e)}\n`, cell),
          );
      } catch (e) {
        writeStream("stderr", `Error in pool callback: ${(e as Error)?.stack ?? String(e)}\n`, cell);
      }
    };
    if (cell) runInCell(cell, run);
    else run();
  }

  /** Splits `items` into chunks and submits them; `onChunk(index, ok, values|error)` per chunk. */
  #submitChunks(
    fn: AnyFn,
    items: unknown[],
    star: boolean,
    chunksize: number,
    onChunk: (start: number, ok: boolean, r: unknown) => void,
  ): number {
    const { key, code } = this.#fn(fn);
    const cell = currentCell() ?? this.#cell;
    const size = Math.max(1, Math.floor(chunksize));
    let n = 0;
    for (let start = 0; start < items.length; start += size) {
      const end = Math.min(items.length, start + size);
      const slice = new Array<unknown>(end - start);
      for (let i = start; i < end; i++) {
        const it = items[i];
        // Primitives travel as they are; only objects need encode() (and its error path names the item).
        slice[i - start] =
          it !== null && (typeof it === "object" || typeof it === "function") ? encode(it, `item ${i}`) : it;
      }
      const s = start;
      const chunk: Chunk = {
        key,
        code,
        items: star ? slice : packNumbers(slice),
        star,
        cell,
        settle: (ok, r) => onChunk(s, ok, r),
      };
      this.#engine.submit(chunk);
      n++;
    }
    return n;
  }

  /** Runs `fn(...args)` in a worker; the AsyncResult settles with its value or error; callbacks run here. */
  applyAsync<F extends AnyFn>(
    fn: F,
    args: Parameters<F> | unknown[] = [],
    callbacks: ResultCallbacks<Result<F>> = {},
  ): AsyncResult<Result<F>> {
    this.#checkRunning("applyAsync()");
    const result = new AsyncResult<Result<F>>();
    const cell = currentCell() ?? this.#cell;
    const { key, code } = this.#fn(fn);
    // One chunk of one call, built directly: applyAsync in a loop is the pool's hottest path.
    const items = [encode(args, "item 0")];
    this.#engine.submit({
      key,
      code,
      items,
      star: true,
      cell,
      settle: (ok, r) => {
        const value = ok ? (r as unknown[])[0] : r;
        result.settle(ok, value);
        this.#callback(cell, ok ? callbacks.callback : callbacks.errorCallback, value);
      },
    });
    return result;
  }

  /** Runs `fn(...args)` in a worker and resolves with its value (Python's blocking apply). */
  apply<F extends AnyFn>(fn: F, args: Parameters<F> | unknown[] = []): Promise<Result<F>> {
    return this.applyAsync(fn, args).get();
  }

  #mapAsync<R>(
    fn: AnyFn,
    iterable: Iterable<unknown>,
    chunksize: number | undefined,
    star: boolean,
    callbacks: ResultCallbacks<R[]>,
  ): AsyncResult<R[]> {
    this.#checkRunning("map()");
    const items = [...iterable];
    const result = new AsyncResult<R[]>();
    const cell = currentCell() ?? this.#cell;
    const out = new Array<R>(items.length);
    let left = 0;
    // In a notebook, a map still running after a moment shows a progress bar (nothing outside a kernel).
    const bar = libraryProgress({ total: items.length, label: `${this.#label()}.map` });
    let finished = 0;
    const finish = (ok: boolean, v: unknown): void => {
      if (result.ready()) return;
      bar.close(ok ? "done" : "error");
      result.settle(ok, v);
      this.#callback(cell, ok ? callbacks.callback : callbacks.errorCallback, v);
    };
    left = this.#submitChunks(
      fn,
      items,
      star,
      chunksize ?? defaultChunksize(items.length, this.#size),
      (start, ok, r) => {
        if (!ok) return finish(false, r);
        const values = r as R[];
        for (let i = 0; i < values.length; i++) out[start + i] = values[i] as R;
        bar.set((finished += values.length));
        if (--left === 0) finish(true, out);
      },
    );
    if (left === 0) finish(true, out);
    return result;
  }

  /** Like map, but returns an AsyncResult at once (Python's map_async). */
  mapAsync<F extends AnyFn>(
    fn: F,
    iterable: Iterable<Parameters<F>[0]>,
    chunksize?: number,
    callbacks: ResultCallbacks<Result<F>[]> = {},
  ): AsyncResult<Result<F>[]> {
    return this.#mapAsync(fn, iterable, chunksize, false, callbacks);
  }

  /** `fn` applied to every item, results in input order; default chunk size as Python's. */
  map<F extends AnyFn>(fn: F, iterable: Iterable<Parameters<F>[0]>, chunksize?: number): Promise<Result<F>[]> {
    return this.#mapAsync<Result<F>>(fn, iterable, chunksize, false, {}).get();
  }

  /** Like map, each item spread as the arguments (Python's starmap). */
  starmap<F extends AnyFn>(
    fn: F,
    iterable: Iterable<Parameters<F> | unknown[]>,
    chunksize?: number,
  ): Promise<Result<F>[]> {
    return this.#mapAsync<Result<F>>(fn, iterable, chunksize, true, {}).get();
  }

  /** starmap returning an AsyncResult. */
  starmapAsync<F extends AnyFn>(
    fn: F,
    iterable: Iterable<Parameters<F> | unknown[]>,
    chunksize?: number,
    callbacks: ResultCallbacks<Result<F>[]> = {},
  ): AsyncResult<Result<F>[]> {
    return this.#mapAsync(fn, iterable, chunksize, true, callbacks);
  }

  /** "Pool" or "ThreadPool", for progress bar labels. */
  #label(): string {
    return (this.constructor as unknown as { kindName: string }).kindName;
  }

  #iter<R>(fn: AnyFn, iterable: Iterable<unknown>, chunksize: number, ordered: boolean): AsyncIterableIterator<R> {
    this.#checkRunning(ordered ? "imap()" : "imapUnordered()");
    const items = [...iterable];
    const ready = new Map<number, { ok: boolean; r: unknown }>();
    const arrival: { ok: boolean; r: unknown }[] = [];
    let wake: (() => void) | undefined;
    const bar = libraryProgress({
      total: items.length,
      label: `${this.#label()}.${ordered ? "imap" : "imapUnordered"}`,
    });
    let finished = 0;
    const total = this.#submitChunks(fn, items, false, chunksize, (start, ok, r) => {
      if (ordered) ready.set(start, { ok, r });
      else arrival.push({ ok, r });
      if (ok) bar.set((finished += (r as unknown[]).length));
      else bar.close("error");
      if (finished === items.length) bar.close("done");
      wake?.();
    });
    if (total === 0) bar.close("done");
    const size = Math.max(1, Math.floor(chunksize));
    async function* gen(): AsyncGenerator<R> {
      for (let k = 0; k < total; k++) {
        let entry: { ok: boolean; r: unknown } | undefined;
        while (!(entry = ordered ? ready.get(k * size) : arrival.shift())) await new Promise<void>((r) => (wake = r));
        ready.delete(k * size);
        if (!entry.ok) throw entry.r;
        yield* entry.r as R[];
      }
    }
    return gen();
  }

  /** Results one by one, in input order, as they become ready (Python's imap; chunk size 1 by default). */
  imap<F extends AnyFn>(fn: F, iterable: Iterable<Parameters<F>[0]>, chunksize = 1): AsyncIterableIterator<Result<F>> {
    return this.#iter<Result<F>>(fn, iterable, chunksize, true);
  }

  /** Results one by one, in completion order (Python's imap_unordered). */
  imapUnordered<F extends AnyFn>(
    fn: F,
    iterable: Iterable<Parameters<F>[0]>,
    chunksize = 1,
  ): AsyncIterableIterator<Result<F>> {
    return this.#iter<Result<F>>(fn, iterable, chunksize, false);
  }

  /** No more tasks may be submitted; workers finish what is queued. */
  close(): void {
    if (this.#state === "run") this.#state = "close";
  }

  /** Waits for every queued task, then for the workers to exit; call close() (or terminate()) first. */
  async join(): Promise<void> {
    if (this.#state === "run")
      throw new ProcessStateError(
        "join() on a running pool: call close() first (Python raises ValueError: Pool is still running).",
        "ERR_SPINDLE_POOL_RUNNING",
      );
    await this.#engine.idle();
    await this.#engine.stop();
    this.#untrack?.();
  }

  /** Stops the workers now; queued and running tasks fail with ProcessCrashedError. */
  async terminate(): Promise<void> {
    this.#state = "terminate";
    await this.#engine.stop();
    this.#untrack?.();
  }

  /** `await using pool = new Pool(2)` terminates the pool when the scope ends. */
  async [Symbol.asyncDispose](): Promise<void> {
    await this.terminate();
  }
}

/** A pool of worker threads with the Pool API (Python's `multiprocessing.pool.ThreadPool`). */
export class ThreadPool extends Pool {
  protected static override workers: WorkerFactory = threadWorkers;
  protected static override kindName = "ThreadPool";
}
