/**
 * A real Spindle kernel process for integration tests, with a ZeroMQ client that
 * signs what it sends and checks the shape of everything it receives. Use:
 *
 *   const tk = await startTestKernel();
 *   const r = await tk.client.execute("1 + 1", { timeout: 30 });
 *   ...
 *   await tk.stop();   // shutdown by message; asserts no process is left and every message was valid
 */
import assert from "node:assert/strict";
import {
  startKernel,
  type ClientChannel,
  type KernelClient,
  type RunningKernel,
  type StartKernelOptions,
} from "../../src/client";
import type { JupyterMessage } from "../../src/protocol";
import { descendants, isAlive, waitAllDead } from "./procs";
import { validateMessage } from "./schema";
import { until as waitFor } from "./wait";

/** A message the test client received. */
export interface Received {
  channel: ClientChannel;
  message: JupyterMessage;
  at: number;
}

/** A started kernel with its checked client. */
export interface TestKernel {
  kernel: RunningKernel;
  client: KernelClient;
  /** Every message received, in arrival order. */
  received: Received[];
  /** Shape errors found in received messages (asserted empty by `stop`). */
  invalid: string[];
  /** The kernel's stderr so far. */
  log(): string;
  /** Waits until the kernel's stderr matches `re`. */
  waitForLog(re: RegExp, timeoutMs?: number): Promise<string>;
  /** iopub messages whose parent is `msgId`, in order. */
  iopubFor(msgId: string): JupyterMessage[];
  /** Waits for the shell/control reply to `msgId`. */
  replyTo(msgId: string, timeoutMs?: number): Promise<JupyterMessage>;
  /** Waits for the idle status whose parent is `msgId`. */
  idleFor(msgId: string, timeoutMs?: number): Promise<void>;
  /** Sends a request without waiting; returns its msg_id. */
  send(channel: "shell" | "control" | "stdin", msgType: string, content: Record<string, unknown>): string;
  /** Asserts busy first and idle last (exactly once each) among the iopub messages of `msgId`. */
  assertBusyIdle(msgId: string): void;
  /** Shuts down by message and asserts that the kernel and everything it started are gone. */
  stop(): Promise<void>;
}

// Polls until `check` gives a value; the shared bounded wait (./wait.ts).
export { waitFor };

/** Starts a kernel (real process, free ports, signed connection) with a validating client. */
export async function startTestKernel(options: StartKernelOptions = {}): Promise<TestKernel> {
  let stderr = "";
  const kernel = await startKernel({ startupTimeout: 60, ...options, stderr: (text) => (stderr += text) });
  const received: Received[] = [];
  const invalid: string[] = [];
  kernel.client.onMessage((channel, message) => {
    received.push({ channel, message, at: Date.now() });
    try {
      validateMessage(message);
    } catch (err) {
      invalid.push(`${channel} ${message.header?.msg_type}: ${(err as Error).message}`);
    }
  });
  kernel.client.onInvalid((channel, err) => invalid.push(`${channel}: refused by the client: ${err.message}`));
  // Wait for the executor (it loads TypeScript in the background), so tests' own limits measure only their cells.
  // Silent and not stored: it changes neither the execution count nor the history.
  await kernel.client.execute("", { silent: true, storeHistory: false, timeout: 120 });
  const parentOf = (m: JupyterMessage): string | undefined => (m.parent_header as { msg_id?: string }).msg_id;

  const tk: TestKernel = {
    kernel,
    client: kernel.client,
    received,
    invalid,
    log: () => stderr,
    waitForLog: (re, timeoutMs = 10_000) =>
      waitFor(() => (re.test(stderr) ? stderr : undefined), timeoutMs, `kernel log matching ${re}`),
    iopubFor: (msgId) =>
      received.filter((r) => r.channel === "iopub" && parentOf(r.message) === msgId).map((r) => r.message),
    replyTo: (msgId, timeoutMs = 30_000) =>
      waitFor(
        () =>
          received.find((r) => (r.channel === "shell" || r.channel === "control") && parentOf(r.message) === msgId)
            ?.message,
        timeoutMs,
        `reply to ${msgId}`,
      ),
    idleFor: async (msgId, timeoutMs = 30_000) => {
      await waitFor(
        () =>
          tk
            .iopubFor(msgId)
            .find(
              (m) =>
                m.header.msg_type === "status" &&
                (m.content as { execution_state?: string }).execution_state === "idle",
            ),
        timeoutMs,
        `idle for ${msgId}`,
      );
    },
    send: (channel, msgType, content) => {
      const message = kernel.client.factory.message(msgType, content);
      kernel.client.sockets.send(channel, message);
      return message.header.msg_id;
    },
    assertBusyIdle: (msgId) => {
      const states = tk
        .iopubFor(msgId)
        .filter((m) => m.header.msg_type === "status")
        .map((m) => (m.content as { execution_state: string }).execution_state);
      assert.deepEqual(states, ["busy", "idle"], `status messages of ${msgId}`);
      const all = tk.iopubFor(msgId);
      assert.equal(all[0]?.header.msg_type, "status", "the first iopub message is busy");
      assert.equal(all[all.length - 1]?.header.msg_type, "status", "the last iopub message is idle");
    },
    stop: async () => {
      const pid = kernel.pid;
      const family = pid === undefined ? [] : [pid, ...descendants(pid)];
      const exit = await kernel.shutdown(10);
      const allGone = await waitAllDead(family, 5000);
      // Whatever the assertions below say, nothing this test started may outlive it.
      const left = family.filter(isAlive);
      for (const p of left) process.kill(p, "SIGKILL");
      assert.equal(exit.code, 0, `the kernel exits cleanly on shutdown_request (${JSON.stringify(exit)})`);
      assert.ok(allGone, `processes left after shutdown: ${left.join(", ")}`);
      assert.deepEqual(invalid, [], "every received message is well formed");
    },
  };
  return tk;
}
