/**
 * The notebook runner `spindle grade` uses with isolation: each submission's
 * kernel starts inside its own sandbox (src/sandbox), every cell goes out with
 * a request for the executor's integrity report, output is counted against
 * the cap, and when the sandbox is killed (a cap, or a cell that killed the
 * kernel) the run ends with a reason instead of an exception.
 */
import { startKernel, spindleKernelArgv } from "../../client";
import { INTEGRITY_KEY } from "../../executor/integrity-key";
import { OUTPUT_CUT_MARK } from "../../kernel/output-budget";
import { type Caps, formatSize } from "../../sandbox/caps";
import type { IsolationLevel } from "../../sandbox/detect";
import { Sandbox } from "../../sandbox/sandbox";
import { SessionRunner } from "./kernel-runner";
import { outcomeOf, sessionOn, WARM_UP_SECONDS } from "./client-session";
import type { ExecuteOutcome, IopubOutput, KernelSession } from "./kernel-session";
import type { Notebook } from "../../nbformat";
import { limitOutput, type CellStatus, type NotebookRunner, type RunLimits, type RunReport } from "./runner";

/** How submissions are isolated and capped. */
export interface SandboxRunnerOptions {
  level: IsolationLevel;
  caps: Caps;
  /** Never copied into a sandbox: the source notebook, every submission, the output folder. */
  exclude: string[];
}

/** A runner that grades each notebook in a fresh sandbox. */
export function createSandboxRunner(options: SandboxRunnerOptions): NotebookRunner {
  return {
    async run(nb: Notebook, limits: RunLimits, run: { cwd: string }): Promise<RunReport> {
      const box = Sandbox.create({
        level: options.level,
        caps: options.caps,
        notebookSeconds: limits.notebookTimeout,
        workFrom: run.cwd,
        exclude: options.exclude,
      });
      const codeCells = nb.cells.flatMap((c, i) => (c.cell_type === "code" ? [i] : []));
      const state: RunState = { executed: 0, outputBytes: 0, started: false, tampered: undefined };
      const factory = () => startSandboxedSession(box, options.caps, state, codeCells);
      try {
        const report = await new SessionRunner(factory).run(nb, limits, { cwd: box.work });
        box.checkNow();
        if (box.killReason) return voided(nb, report.cells, report.seconds, box.killReason);
        if (state.tampered)
          return {
            ...report,
            flags: [describeFindings(state.tampered.what)],
            voidFrom: state.tampered.cell,
          };
        return report;
      } catch (err) {
        if (!state.started) throw err; // the grader could not start a kernel: not the student's doing
        const reason =
          box.killReason ?? `killed: the kernel died (${err instanceof Error ? err.message : String(err)})`;
        return voided(
          nb,
          nb.cells.map(() => undefined),
          0,
          reason,
        );
      } finally {
        box.dispose();
      }
    },
  };
}

interface RunState {
  executed: number;
  outputBytes: number;
  started: boolean;
  tampered: { cell: number; what: string[] } | undefined;
}

/** Every cell scores 0: cells that did not run get the reason as their error output. */
function voided(nb: Notebook, statuses: (CellStatus | undefined)[], seconds: number, reason: string): RunReport {
  const cells = nb.cells.map((cell, i): CellStatus | undefined => {
    if (cell.cell_type !== "code") return undefined;
    if (statuses[i] === undefined) {
      cell.outputs = [limitOutput("kernel-died", reason)];
      return "kernel-died";
    }
    return statuses[i];
  });
  return { cells, seconds, flags: [reason], voidFrom: 0 };
}

async function startSandboxedSession(
  box: Sandbox,
  caps: Caps,
  state: RunState,
  codeCells: number[],
): Promise<KernelSession> {
  const cmd = box.command(spindleKernelArgv());
  const kernel = await startKernel({
    argv: cmd.argv,
    env: cmd.env,
    cwd: cmd.cwd,
    uid: cmd.uid,
    gid: cmd.gid,
    runtimeDir: box.runtime,
    transport: "ipc",
    stderr: "ignore",
    startupTimeout: WARM_UP_SECONDS,
  });
  box.watch(() => kernel.pid);
  const session = await sessionOn(kernel, async (code, onOutput): Promise<ExecuteOutcome> => {
    const cell = codeCells[state.executed++] ?? -1;
    const result = await kernel.client.execute(code, {
      allowStdin: false,
      stopOnError: false,
      userExpressions: { [INTEGRITY_KEY]: "0" },
      onOutput: (m) => {
        if (box.killReason) return;
        state.outputBytes += JSON.stringify(m.content).length;
        const text = (m.content as { text?: unknown }).text;
        const cut = typeof text === "string" && text.includes(OUTPUT_CUT_MARK);
        // The kernel cuts output at the cap; counting here as well covers a kernel that does not.
        if (cut || state.outputBytes > caps.output + 4096) {
          box.kill(`output cut at ${formatSize(caps.output)}`);
          return;
        }
        onOutput({ msg_type: m.header.msg_type as IopubOutput["msg_type"], content: m.content });
      },
    });
    const content = result.reply.content as { ename?: unknown; user_expressions?: Record<string, unknown> };
    const died = content.ename === "ExecutorDied";
    const report = (content.user_expressions?.[INTEGRITY_KEY] as { data?: Record<string, unknown> } | undefined)
      ?.data?.["application/json"];
    const findings = Array.isArray(report) ? report.map(String) : died ? [] : ["integrity report missing"];
    if (findings.length > 0 && !state.tampered) state.tampered = { cell, what: findings };
    return outcomeOf(result);
  });
  state.started = true;
  return session;
}

/** The flag for what the integrity check found: tampering ("environment modified: …") and attempts ("tried to …"). */
function describeFindings(what: string[]): string {
  const tried = what.filter((w) => w.startsWith("tried to "));
  const modified = what.filter((w) => !w.startsWith("tried to "));
  return [...(modified.length > 0 ? [`environment modified: ${modified.join(", ")}`] : []), ...tried].join("; ");
}
