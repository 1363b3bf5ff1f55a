/**
 * The one seam between the grader and a running kernel. `grade` and
 * `validate` hand a notebook to a `NotebookRunner`; the runner executes its
 * code cells in order in a fresh kernel and fills in their outputs. Limits are
 * enforced here: a cell past its time limit is interrupted (and the kernel
 * restarted if the interrupt does not take) and gets an error output, so it
 * scores 0 and the rest of the notebook still runs.
 */
import type { Notebook, Output } from "../../nbformat/notebook";

/** Time limits of one notebook run, in seconds. */
export interface RunLimits {
  /** Longest a single cell may run (seconds). */
  cellTimeout: number;
  /** Longest the whole notebook may run (seconds); cells not reached get an error output. */
  notebookTimeout: number;
}

/** What happened to one code cell. */
export type CellStatus = "ok" | "error" | "timeout" | "kernel-died" | "not-run";

/** A run's per-cell record, indexed like `notebook.cells` (undefined for markdown/raw cells). */
export interface RunReport {
  cells: (CellStatus | undefined)[];
  /** Seconds the run took, wall clock. */
  seconds: number;
  /** What the sandbox found: "killed: memory limit 1 GiB", "environment modified: JSON.stringify replaced", … */
  flags?: string[];
  /** Graded cells from this cell index on score 0 (the run was killed, or the environment was modified there). */
  voidFrom?: number;
}

/** Runs notebooks; implementations own their kernels and must leave no process behind. */
export interface NotebookRunner {
  /** Executes every code cell of `nb` in order, in place (outputs, execution_count), within `limits`. */
  run(nb: Notebook, limits: RunLimits, options: { cwd: string }): Promise<RunReport>;
}

/** The error output a cell gets when the runner stops it; nbgrader scores such a cell 0. */
export function limitOutput(status: "timeout" | "kernel-died" | "not-run", detail: string): Output {
  const ename = status === "timeout" ? "TimeoutError" : status === "kernel-died" ? "KernelDied" : "NotRun";
  return { output_type: "error", ename, evalue: detail, traceback: [`${ename}: ${detail}`] };
}
