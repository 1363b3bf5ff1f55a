/**
 * The notebook runner over a kernel session: a fresh kernel per notebook,
 * every code cell executed in order (errors do not stop the run, as with
 * nbgrader), a per-cell and a per-notebook time limit. A cell past its limit
 * is interrupted; if the interrupt does not take within a grace period the
 * kernel is restarted. Either way the cell gets an error output and scores 0.
 */
import { limitOutput, type NotebookRunner, type RunLimits, type RunReport, type CellStatus } from "./runner";
import type { KernelSession, SessionFactory } from "./kernel-session";
import type { Notebook } from "../../nbformat/notebook";
import { OutputCollector } from "../../nbformat/outputs";
import { startClientSession } from "./client-session";

/** Tuning of a SessionRunner. */
export interface SessionRunnerOptions {
  /** Seconds to wait for an interrupted cell to stop before restarting the kernel (default 5). */
  interruptGrace?: number;
}

/** Runs notebooks through kernel sessions made by `factory`. */
export class SessionRunner implements NotebookRunner {
  /** A runner over sessions from `factory`. */
  constructor(
    private readonly factory: SessionFactory,
    private readonly options: SessionRunnerOptions = {},
  ) {}

  /** Executes every code cell of `nb` in a fresh kernel, in place, within `limits`. */
  async run(nb: Notebook, limits: RunLimits, options: { cwd: string }): Promise<RunReport> {
    const started = performance.now();
    const deadline = started + limits.notebookTimeout * 1000;
    const cells: (CellStatus | undefined)[] = nb.cells.map(() => undefined);
    const session = await this.factory({ cwd: options.cwd });
    let count = 0;
    let exhausted = false;
    try {
      for (const [i, cell] of nb.cells.entries()) {
        if (cell.cell_type !== "code") continue;
        const remaining = deadline - performance.now();
        if (exhausted || remaining <= 0) {
          cell.outputs = [
            limitOutput(
              "not-run",
              `The notebook reached its ${limits.notebookTimeout} s time limit before this cell ran.`,
            ),
          ];
          cells[i] = "not-run";
          continue;
        }
        const perCell = Math.min(limits.cellTimeout * 1000, remaining);
        const byNotebook = perCell < limits.cellTimeout * 1000;
        const collector = new OutputCollector();
        const run = await this.#runCell(
          session,
          cell.source,
          collector,
          perCell,
          byNotebook ? `the notebook's ${limits.notebookTimeout} s limit` : `its ${limits.cellTimeout} s limit`,
        );
        cells[i] = run.status;
        // Timers may fire a hair early: a cell stopped by the notebook's limit ends the run.
        if (byNotebook && run.status === "timeout") exhausted = true;
        cell.outputs = collector.outputs;
        count = run.executionCount ?? count + 1;
        cell.execution_count = count;
      }
    } finally {
      await session.shutdown();
    }
    return { cells, seconds: (performance.now() - started) / 1000 };
  }

  async #runCell(
    session: KernelSession,
    code: string,
    collector: OutputCollector,
    limitMs: number,
    limitText: string,
  ): Promise<{ status: CellStatus; executionCount?: number }> {
    let timedOut = false;
    const reply = session.execute(code, (o) => {
      if (!timedOut) collector.add(o);
    });
    const outcome = await within(reply, limitMs);
    if (outcome !== TIMEOUT) {
      const died = outcome.status === "error" && outcome.ename === "ExecutorDied";
      return {
        status: died ? "kernel-died" : outcome.status === "ok" ? "ok" : "error",
        executionCount: outcome.executionCount,
      };
    }
    timedOut = true;
    session.interrupt();
    const afterInterrupt = await within(reply, (this.options.interruptGrace ?? 5) * 1000);
    if (afterInterrupt === TIMEOUT) {
      // The interrupt did not take (a blocked main thread): a fresh kernel; this cell's reply never comes.
      await session.restart();
    }
    collector.push(
      limitOutput("timeout", `This cell ran past ${limitText} and was stopped (an endless loop or a deadlock?).`),
    );
    return { status: "timeout" };
  }
}

const TIMEOUT = Symbol("timeout");

async function within<T>(promise: Promise<T>, ms: number): Promise<T | typeof TIMEOUT> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<typeof TIMEOUT>((resolve) => (timer = setTimeout(() => resolve(TIMEOUT), ms)));
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** The runner `spindle grade` and `spindle validate` use: a fresh Spindle kernel per notebook. */
export function createKernelRunner(options?: SessionRunnerOptions): NotebookRunner {
  return new SessionRunner(startClientSession, options);
}
