/**
 * Executes a notebook's code cells in order in a fresh kernel, filling in their
 * outputs and execution counts, the way nbclient does: stop at the first error
 * (unless errors are allowed or the cell is tagged `raises-exception`), interrupt
 * a cell past its time limit.
 */
import { KernelClientError } from "./errors";
import { startKernel, type RunningKernel, type StartKernelOptions } from "./launcher";
import { OutputCollector, type Cell, type Notebook, type Output } from "../nbformat";

/** What happened to a code cell. */
export type CellStatus = "ok" | "error" | "expected-error" | "timeout" | "kernel-died" | "not-run";

/** One code cell's result. */
export interface CellReport {
  /** Index in `notebook.cells`. */
  index: number;
  /** 1-based position among the code cells, and their count. */
  ordinal: number;
  total: number;
  status: CellStatus;
  seconds: number;
  outputs: Output[];
}

/** A notebook run. */
export interface NotebookRunResult {
  notebook: Notebook;
  cells: CellReport[];
  /** Cells that failed (error, timeout, kernel death), not counting expected errors. */
  errors: number;
  seconds: number;
}

/** Options of `runNotebook`. Durations are in seconds. */
export interface RunNotebookOptions {
  /** Working directory of the kernel (the notebook's folder, as Jupyter does). */
  cwd?: string;
  /** Seconds one cell may run before it is interrupted (default 300). */
  timeout?: number;
  /** Keep running after a failed cell (default false: later cells are not run). */
  allowErrors?: boolean;
  /** How to start the kernel (default: Spindle's own). */
  kernel?: Omit<StartKernelOptions, "cwd">;
  /** Called before each code cell runs. */
  onCellStart?(cell: Cell, ordinal: number, total: number): void;
  /** Called after each code cell (also for cells not run). */
  onCellDone?(report: CellReport): void;
}

const DEFAULT_CELL_TIMEOUT = 300;
const WARM_UP_TIMEOUT = 120;

/** Runs `notebook` in place (outputs replaced) in a new kernel that is shut down afterwards. */
export async function runNotebook(notebook: Notebook, options: RunNotebookOptions = {}): Promise<NotebookRunResult> {
  const started = Date.now();
  const code = notebook.cells.map((cell, index) => ({ cell, index })).filter(({ cell }) => cell.cell_type === "code");
  const reports: CellReport[] = [];
  const kernel = await startKernel({ ...options.kernel, cwd: options.cwd });
  let stopped: CellStatus | undefined;
  try {
    const info = await kernel.client.kernelInfo({ timeout: 30 });
    notebook.metadata.language_info = info.language_info;
    // A silent empty cell waits for the executor to be ready, so starting it never counts against a cell's limit.
    await kernel.client.execute("", { silent: true, storeHistory: false, timeout: WARM_UP_TIMEOUT });
    notebook.metadata.kernelspec ??= { name: "spindle", display_name: "TypeScript (Spindle)", language: "typescript" };
    for (const [i, { cell, index }] of code.entries()) {
      const ordinal = i + 1;
      let report: CellReport;
      if (stopped) {
        report = { index, ordinal, total: code.length, status: "not-run", seconds: 0, outputs: [] };
      } else {
        options.onCellStart?.(cell, ordinal, code.length);
        const ran = await runCell(kernel, cell, options.timeout ?? DEFAULT_CELL_TIMEOUT);
        report = { ...ran.report, index, ordinal, total: code.length };
        const failed = report.status === "error" || report.status === "timeout" || report.status === "kernel-died";
        if (ran.kernelGone || (failed && !options.allowErrors)) stopped = report.status;
      }
      reports.push(report);
      options.onCellDone?.(report);
    }
  } finally {
    await kernel.shutdown(10).catch(() => kernel.kill());
  }
  return {
    notebook,
    cells: reports,
    errors: reports.filter((r) => r.status === "error" || r.status === "timeout" || r.status === "kernel-died").length,
    seconds: (Date.now() - started) / 1000,
  };
}

async function runCell(
  kernel: RunningKernel,
  cell: Cell,
  timeout: number,
): Promise<{ report: CellReport; kernelGone: boolean }> {
  const t0 = Date.now();
  const collector = new OutputCollector();
  const expectsError = Array.isArray(cell.metadata.tags) && cell.metadata.tags.includes("raises-exception");
  const done = (status: CellStatus, kernelGone = false): { report: CellReport; kernelGone: boolean } => {
    cell.outputs = collector.outputs;
    return {
      report: {
        index: -1,
        ordinal: 0,
        total: 0,
        status,
        seconds: (Date.now() - t0) / 1000,
        outputs: collector.outputs,
      },
      kernelGone,
    };
  };
  try {
    const result = await kernel.client.execute(cell.source, {
      timeout,
      onOutput: (m) => collector.add(m),
      allowStdin: false,
    });
    cell.execution_count = result.executionCount;
    if (result.timedOut) {
      collector.outputs.push(timeoutOutput(timeout));
      return done("timeout");
    }
    if (result.status === "ok") return done("ok");
    return done(expectsError ? "expected-error" : "error");
  } catch (err) {
    if (err instanceof KernelClientError && err.code === "ERR_SPINDLE_CLIENT_TIMEOUT") {
      collector.outputs.push(timeoutOutput(timeout));
      await kernel.kill();
      return done("timeout", true);
    }
    const message = err instanceof Error ? err.message : String(err);
    collector.outputs.push({
      output_type: "error",
      ename: "KernelDied",
      evalue: message,
      traceback: [`KernelDied: ${message}`],
    });
    return done("kernel-died", true);
  }
}

function timeoutOutput(seconds: number): Output {
  const evalue = `The cell ran longer than ${seconds} s and was interrupted; raise the limit with --timeout.`;
  return { output_type: "error", ename: "TimeoutError", evalue, traceback: [`TimeoutError: ${evalue}`] };
}
