/**
 * One executor's state and its execute_request handling: compile, run, report
 * the last value, wait for the cell's non-daemon work, and answer interrupts.
 */
import { CellContext, runInCell } from "../../runtime/cell-context";
import { receiveCommMessage } from "../../comm/comm";
import { SpindleError } from "../../errors";
import { DisplayHandle } from "../../display/handle";
import "../../display/progress";
import { mimeBundleOf } from "../../display/mime";
import { parseMagics, type MagicPlan } from "../../timing/magics";
import type { CommReply, ErrorReplyFields, ExecuteReplyContent, KernelToExecutor } from "../ipc-messages";
import { CellCompiler } from "./compile/compiler";
import { CellRunner, settleable, type Settleable } from "./evaluate";
import { setLastCell } from "./capture";
import type { OutputChannel } from "./outputs";
import { compileErrorFields, errorFields } from "./traceback";
import { CellMagics } from "./magics/host";
import { MAGICS_MODULE, type RewrittenCell } from "./magics/lines";

type ExecuteRequest = Extract<KernelToExecutor, { type: "execute" }>;
type CommRequest = Extract<KernelToExecutor, { type: "comm" }>;

/** Loaded on first use: most cells have no magic, and the timing module is not small. */
function cellMagicRunner(): typeof import("../../timing/magic-runner") {
  return require("../../timing/magic-runner") as typeof import("../../timing/magic-runner");
}

/** The error a cell fails with when the user interrupts it. */
export class KeyboardInterrupt extends SpindleError<"ERR_SPINDLE_INTERRUPTED"> {
  /** Creates the interrupt error; the message reassures that state is kept. */
  constructor() {
    super("The cell was interrupted. Variables defined before the interrupt are kept.", "ERR_SPINDLE_INTERRUPTED");
  }
}

/** Compiles and runs cells, keeping every cell's names alive between them. */
export class ExecutorSession {
  readonly compiler: CellCompiler;
  readonly runner: CellRunner;
  readonly #outputs: OutputChannel;
  readonly #magics: CellMagics;
  #silentCount = 0;
  /** The cell now executing and the settleable it is awaited through. */
  #running: { cell: CellContext; wait: Settleable<unknown> } | undefined;
  /** Cells that finished but may still own threads, processes or timers. */
  readonly #cells = new Set<CellContext>();
  /** An interrupt that arrived before the request it targets. */
  #pendingInterrupt: string | undefined;

  /** Creates a session whose cells resolve imports from `cwd`. */
  constructor(cwd: string, outputs: OutputChannel) {
    this.compiler = new CellCompiler(cwd);
    this.runner = new CellRunner(cwd, this.compiler.modules, this.compiler.declarations);
    this.#outputs = outputs;
    this.#magics = new CellMagics({ folder: cwd, compiler: this.compiler, store: this.runner.store });
    this.runner.provide(MAGICS_MODULE, this.#magics);
  }

  /** Runs one execute_request; resolves with execute_reply content. */
  async execute(req: ExecuteRequest): Promise<ExecuteReplyContent> {
    const label = req.silent ? `silent-${++this.#silentCount}` : String(req.executionCount);
    const sink = this.#outputs.sinkFor(req.parent, req.allowStdin);
    const cell = new CellContext(req.id, req.executionCount, sink);
    this.#cells.add(cell);
    setLastCell(cell);
    const fail = (fields: ErrorReplyFields): ExecuteReplyContent => {
      sink.error(fields);
      return { status: "error", execution_count: req.executionCount, ...fields, user_expressions: {}, payload: [] };
    };

    if (this.#pendingInterrupt === req.id) {
      this.#pendingInterrupt = undefined;
      return fail(errorFields(new KeyboardInterrupt()));
    }
    let plan: MagicPlan;
    let rewritten: RewrittenCell;
    try {
      rewritten = this.#magics.rewrite(req.code);
      plan = parseMagics(rewritten.code);
    } catch (err) {
      return fail(errorFields(err));
    }
    const compiled = this.#magics.compile(plan.code, rewritten, (code) => this.compiler.compile(code, label));
    if (!compiled.ok) return fail(compileErrorFields(label, compiled.diagnostics));

    // The cell's names are known before it runs: code shipping asks how a name was declared
    // while the cell itself starts threads. Names assigned before a failure stay usable too.
    this.compiler.commit(compiled.cell, label);
    let value: unknown;
    try {
      const once = this.runner.prepare(
        label,
        compiled.cell.js,
        compiled.cell.sourceMap,
        req.code,
        compiled.cell.source.columnShift,
      );
      const magic = plan.cellMagic;
      const run = magic ? () => cellMagicRunner().runCellMagic(magic, once) : once;
      value = await this.#await(cell, (wait) => this.runner.start(cell, run, wait));
      // A cell ending in display(x) has shown x already; its handle is no result (IPython's display returns None).
      if (value !== undefined && !(value instanceof DisplayHandle) && !req.silent)
        sink.result(mimeBundleOf(value), req.executionCount);
      await this.#await(cell, (wait) => cell.settleHolds().then(wait.resolve, wait.reject));
    } catch (err) {
      return fail(errorFields(err));
    }
    const userExpressions = await this.#userExpressions(req.userExpressions);
    this.#forgetIdleCells();
    return {
      status: "ok",
      execution_count: req.executionCount,
      user_expressions: userExpressions,
      payload: this.#magics.payloadOf(cell),
    };
  }

  /**
   * Runs the handlers of a comm message from the frontend (a widget's new value,
   * a button click) as a cell of its own: their output has the message as parent,
   * and what they start is stopped by an interrupt like a cell's work.
   */
  async comm(req: CommRequest): Promise<CommReply> {
    const sink = this.#outputs.sinkFor(req.parent, false);
    const cell = new CellContext(req.id, 0, sink);
    this.#cells.add(cell);
    try {
      // As a cell: the only JavaScript of a fresh macrotask, so an interrupt can end a busy loop in a handler.
      const note = await this.#await(cell, (wait) =>
        runInCell(cell, () =>
          setImmediate(() => {
            if (!wait.settled)
              receiveCommMessage(req.msgType, req.content, req.metadata, req.buffers, req.id).then(
                wait.resolve,
                wait.reject,
              );
          }),
        ),
      );
      await this.#await(cell, (wait) => cell.settleHolds().then(wait.resolve, wait.reject));
      return typeof note === "string" ? { status: "ok", note } : { status: "ok" };
    } catch (err) {
      sink.error(errorFields(err));
      return { status: "ok", note: `${req.msgType} handler failed: ${String(err)}` };
    } finally {
      this.#forgetIdleCells();
    }
  }

  /**
   * Interrupts cell `target` (an execute request id) — also when its request has
   * not reached the executor yet: it then fails as soon as it arrives. With ""
   * (the kernel was idle) it stops the background work of every cell and never a
   * running one; with no target (a SIGINT) whatever runs.
   */
  interrupt(target?: string): void {
    const interrupted = new KeyboardInterrupt();
    const running = target === "" ? undefined : this.#running;
    if (target !== undefined && target !== "" && running?.cell.id !== target) {
      if (![...this.#cells].some((c) => c.id === target)) this.#pendingInterrupt = target;
      return;
    }
    this.#outputs.cancelInputs(interrupted);
    if (running) {
      running.wait.reject(interrupted);
      void running.cell.interrupt();
      return;
    }
    for (const cell of this.#cells) if (cell !== this.#running?.cell) void cell.interrupt();
  }

  /** Interrupts everything every cell started (kernel shutdown). */
  async stopAll(): Promise<void> {
    await Promise.allSettled([...this.#cells].map((c) => c.interrupt()));
  }

  /** Keeps the most recent cells and those still owning work; the rest have nothing to interrupt. */
  #forgetIdleCells(): void {
    const keep = 50;
    let index = this.#cells.size;
    for (const cell of this.#cells) {
      if (--index >= keep && !cell.active) this.#cells.delete(cell);
    }
  }

  async #await(cell: CellContext, start: (wait: Settleable<unknown>) => void): Promise<unknown> {
    const wait = settleable<unknown>();
    this.#running = { cell, wait };
    try {
      start(wait);
      return await wait.promise;
    } finally {
      if (this.#running?.wait === wait) this.#running = undefined;
    }
  }

  async #userExpressions(exprs: Record<string, string>): Promise<Record<string, unknown>> {
    const out: Record<string, unknown> = {};
    for (const [name, expr] of Object.entries(exprs)) {
      const label = `expr-${++this.#silentCount}`;
      const compiled = this.compiler.compile(expr, label);
      if (!compiled.ok) {
        out[name] = { status: "error", ...compileErrorFields(label, compiled.diagnostics) };
        continue;
      }
      try {
        const run = this.runner.prepare(
          label,
          compiled.cell.js,
          compiled.cell.sourceMap,
          expr,
          compiled.cell.source.columnShift,
        );
        const value = await run();
        out[name] = { status: "ok", data: mimeBundleOf(value), metadata: {} };
      } catch (err) {
        out[name] = { status: "error", ...errorFields(err) };
      }
    }
    return out;
  }
}
