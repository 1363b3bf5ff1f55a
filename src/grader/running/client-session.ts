/**
 * A kernel session on a real Spindle kernel process, over ZeroMQ with
 * Spindle's own client — the same path Jupyter uses, so a notebook grades
 * exactly as it runs for the student.
 */
import { startKernel, type ExecuteResult, type RunningKernel } from "../../client";
import type { ExecuteOutcome, IopubOutput, KernelSession } from "./kernel-session";

/** How long a kernel may take to start and warm up, in seconds. */
export const WARM_UP_SECONDS = 120;

/** Starts a fresh Spindle kernel in `cwd` and waits until it answers. */
export async function startClientSession(options: { cwd: string; env?: NodeJS.ProcessEnv }): Promise<KernelSession> {
  // A generous start-up limit: on a busy machine (a class graded on every core) a kernel is slow to answer.
  const kernel = await startKernel({
    cwd: options.cwd,
    env: options.env,
    stderr: "ignore",
    startupTimeout: WARM_UP_SECONDS,
  });
  return sessionOn(kernel, async (code, onOutput) =>
    outcomeOf(
      await kernel.client.execute(code, {
        allowStdin: false, // input() in a graded notebook fails at once instead of waiting for nobody
        stopOnError: false,
        onOutput: (m) => onOutput({ msg_type: m.header.msg_type as IopubOutput["msg_type"], content: m.content }),
      }),
    ),
  );
}

/**
 * A session on a started kernel, warmed up before it is returned and after every restart:
 * the kernel answers before its executor has loaded TypeScript, and a silent first cell waits
 * for that, so the warm-up never counts against the first real cell's time limit.
 */
export async function sessionOn(kernel: RunningKernel, execute: KernelSession["execute"]): Promise<KernelSession> {
  const warmUp = async (): Promise<void> => {
    try {
      await kernel.client.execute("0", { silent: true, storeHistory: false, timeout: WARM_UP_SECONDS });
    } catch (err) {
      await kernel.kill();
      throw err;
    }
  };
  await warmUp();
  return {
    execute,
    interrupt: () => void kernel.client.interrupt().catch(() => undefined),
    async restart(): Promise<void> {
      await kernel.restart();
      await warmUp();
    },
    async shutdown(): Promise<void> {
      try {
        await kernel.shutdown(5);
      } catch {
        await kernel.kill(); // never leave a kernel behind
      }
    },
  };
}

/** What the grader reads of an execute reply. */
export function outcomeOf(result: ExecuteResult): ExecuteOutcome {
  const content = result.reply.content as { ename?: unknown; evalue?: unknown };
  return {
    status: result.status,
    executionCount: result.executionCount ?? undefined,
    ename: typeof content.ename === "string" ? content.ename : undefined,
    evalue: typeof content.evalue === "string" ? content.evalue : undefined,
  };
}
