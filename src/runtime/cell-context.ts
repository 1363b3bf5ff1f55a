/**
 * The one ambient value in Spindle: the cell whose code is running now.
 *
 * Output printed by a timer, a promise, a worker thread or a child process
 * belongs to the cell that started it, not to whichever cell ran last. The
 * executor runs every cell inside `runInCell`, and Spindle's modules look the
 * cell up with `currentCell()` (undefined in a plain Node script).
 */
import { AsyncLocalStorage } from "node:async_hooks";

/** A Jupyter mime bundle: mime type → data. */
export type MimeBundle = Record<string, unknown>;

/** Content of a display_data / update_display_data message. */
export interface DisplayContent {
  data: MimeBundle;
  metadata?: Record<string, unknown>;
  transient?: { display_id?: string };
}

/** Where a cell's outputs go. The executor implements it. */
export interface OutputSink {
  /** Text written to stdout or stderr (batched by the sink). */
  stream(name: "stdout" | "stderr", text: string): void;
  /** A rich output; `update` sends update_display_data for an existing display id. */
  display(content: DisplayContent, update: boolean): void;
  /** Clears the cell's output (`wait`: only when the next output arrives). */
  clearOutput(wait: boolean): void;
  /** Asks the user for one line (Jupyter input_request); rejects when the frontend allows no stdin. */
  input(prompt: string, password: boolean): Promise<string>;
  /** A comm message to the frontend (comm_open, comm_msg, comm_close) with this cell's request as parent. */
  comm?(
    msgType: "comm_open" | "comm_msg" | "comm_close",
    content: Record<string, unknown>,
    metadata: Record<string, unknown>,
    buffers: Uint8Array[],
  ): void;
}

/** Something a cell started that an interrupt or shutdown must stop: a thread, a process, a pool. */
export interface CellResource {
  /** Stops the resource; called on interrupt of the cell that started it. */
  interrupt(): void | Promise<void>;
}

/** One executing (or finished, but still owning background work) cell. */
export class CellContext {
  readonly #holds = new Set<Promise<unknown>>();
  readonly #resources = new Set<CellResource>();
  readonly #abort = new AbortController();

  /** Creates the context of a cell; `id` is the execute_request msg_id. */
  constructor(
    readonly id: string,
    readonly executionCount: number,
    readonly sink: OutputSink,
  ) {}

  /** Aborted when the cell is interrupted; long waits should listen to it. */
  get signal(): AbortSignal {
    return this.#abort.signal;
  }

  /** True while the cell holds work or owns resources that an interrupt would stop. */
  get active(): boolean {
    return this.#holds.size > 0 || this.#resources.size > 0;
  }

  /** Keeps the cell "running" until `work` settles (a non-daemon thread, for example). */
  hold(work: Promise<unknown>): void {
    const settled = work.then(
      () => undefined,
      () => undefined,
    );
    this.#holds.add(settled);
    void settled.then(() => this.#holds.delete(settled));
  }

  /** Resolves when everything held by `hold` has settled (including holds added meanwhile). */
  async settleHolds(): Promise<void> {
    while (this.#holds.size > 0) await Promise.all([...this.#holds]);
  }

  /** Registers something to stop on interrupt; returns a function that unregisters it. */
  track(resource: CellResource): () => void {
    this.#resources.add(resource);
    return () => this.#resources.delete(resource);
  }

  /** Aborts the cell's signal and stops every tracked resource. */
  async interrupt(): Promise<void> {
    if (!this.#abort.signal.aborted) this.#abort.abort(new Error("KeyboardInterrupt"));
    const resources = [...this.#resources];
    this.#resources.clear();
    await Promise.allSettled(resources.map(async (r) => r.interrupt()));
  }
}

const storage = new AsyncLocalStorage<CellContext>();

/** The cell whose code is running now, or undefined outside a kernel. */
export function currentCell(): CellContext | undefined {
  return storage.getStore();
}

/** Runs `fn` (and everything asynchronous it starts) as part of `cell`. */
export function runInCell<T>(cell: CellContext, fn: () => T): T {
  return storage.run(cell, fn);
}

/** Runs `fn` outside any cell (for Spindle's own bookkeeping callbacks). */
export function runOutsideCells<T>(fn: () => T): T {
  return storage.exit(fn);
}

/** Writes text to the current cell's stream, or to the process stream outside a kernel. */
export function writeStream(
  name: "stdout" | "stderr",
  text: string,
  cell: CellContext | undefined = currentCell(),
): void {
  if (cell) cell.sink.stream(name, text);
  else process[name].write(text);
}
