/**
 * A kernel session on Spindle's executor process, driven directly through
 * `ExecutorHost` (the same process a kernel runs cells in, without the ZeroMQ
 * layer). Used until the ZeroMQ client is available to the grader.
 */
import { randomUUID } from "node:crypto";
import { ExecutorHost } from "../executor/host";
import type { MessageHeader } from "../protocol/header";
import type { ExecuteOutcome, IopubOutput, KernelSession } from "./kernel-session";

/** Starts a fresh executor in `cwd` and waits until it takes requests. */
export async function startExecutorSession(options: { cwd: string; env?: NodeJS.ProcessEnv }): Promise<KernelSession> {
  const listeners = new Map<string, (o: IopubOutput) => void>();
  const host = ExecutorHost.start({
    cwd: options.cwd,
    env: options.env,
    onOutput: (parent, output) => listeners.get(parent.msg_id)?.({ msg_type: output.msgType, content: output.content as unknown as Record<string, unknown> }),
    onInputRequest: () => undefined, // allowStdin is false: the executor refuses input() itself
    log: () => undefined,
  });
  await host.ready;
  let count = 0;
  return {
    async execute(code, onOutput): Promise<ExecuteOutcome> {
      const id = randomUUID();
      const parent: MessageHeader = { msg_id: id, session: "grader", username: "grader", date: new Date().toISOString(), msg_type: "execute_request", version: "5.3" };
      listeners.set(id, onOutput);
      try {
        const reply = await host.request({
          type: "execute", id, parent, code, executionCount: ++count, silent: false, storeHistory: true, userExpressions: {}, allowStdin: false,
        });
        const status = reply.status === "ok" || reply.status === "abort" ? reply.status : "error";
        return { status, ename: typeof reply.ename === "string" ? reply.ename : undefined, evalue: typeof reply.evalue === "string" ? reply.evalue : undefined };
      } finally {
        listeners.delete(id);
      }
    },
    interrupt: () => host.interrupt(),
    restart: () => host.restart(),
    shutdown: () => host.shutdown(),
  };
}
