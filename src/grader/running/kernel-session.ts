/**
 * What the notebook runner needs of a kernel: execute one cell (outputs
 * streamed as Jupyter iopub messages), interrupt, restart, shut down.
 * `kernel-runner.ts` builds the grading rules on top; adapters map a concrete
 * kernel connection onto this.
 */

import type { IopubOutput } from "../../nbformat";

export type { IopubOutput };

/** How an execute request ended (its execute_reply status). */
export interface ExecuteOutcome {
  status: "ok" | "error" | "aborted";
  /** The kernel's execution count of the cell (tracebacks name cells by it). */
  executionCount?: number;
  /** For error replies. */
  ename?: string;
  evalue?: string;
}

/** A live kernel with a fresh state. */
export interface KernelSession {
  /** Runs `code` as a cell; `onOutput` sees each of its outputs in order. Resolves with the reply. */
  execute(code: string, onOutput: (output: IopubOutput) => void): Promise<ExecuteOutcome>;
  /** Interrupts the running cell (returns at once; the pending execute then replies). */
  interrupt(): void;
  /** Replaces the kernel's state with a fresh one (a stuck cell's execute resolves). */
  restart(): Promise<void>;
  /** Stops the kernel and everything it started. */
  shutdown(): Promise<void>;
}

/** Starts a fresh kernel session whose working directory is `cwd`. */
export type SessionFactory = (options: { cwd: string }) => Promise<KernelSession>;
