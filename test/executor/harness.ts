/**
 * Drives a real executor process through ExecutorHost (the same path the
 * kernel uses), collecting outputs per request.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { ExecutorHost } from "../../src/executor/host";
import type { ExecutorOutput } from "../../src/executor/ipc-messages";
import type { MessageHeader } from "../../src/protocol/header";

export interface Run {
  reply: Record<string, unknown>;
  outputs: ExecutorOutput[];
  /** All stream text of the request, stdout and stderr. */
  stdout: string;
  stderr: string;
  /** The text/plain of the execute_result, if any. */
  result?: string;
}

/** A test's executor, with every output recorded by the parent msg_id. */
export class ExecutorHarness {
  readonly host: ExecutorHost;
  readonly outputs = new Map<string, ExecutorOutput[]>();
  readonly logs: string[] = [];
  readonly dir: string;
  inputAnswer: string | undefined = undefined;
  #count = 0;

  constructor(dir = fs.mkdtempSync(path.join(os.tmpdir(), "spindle-exec-")), env: NodeJS.ProcessEnv = {}) {
    this.dir = dir;
    this.host = ExecutorHost.start({
      cwd: dir,
      env: { ...process.env, SPINDLE_TIME_SCALE: "1", ...env },
      onOutput: (parent, out) => {
        const list = this.outputs.get(parent.msg_id) ?? [];
        list.push(out);
        this.outputs.set(parent.msg_id, list);
      },
      onInputRequest: (req) => {
        if (this.inputAnswer !== undefined) this.host.inputReply(req.id, `${this.inputAnswer}:${req.prompt}`);
      },
      log: (m) => this.logs.push(m),
    });
  }

  /** A fresh request header. */
  header(): MessageHeader {
    const id = `req-${++this.#count}-${Math.random().toString(16).slice(2)}`;
    return {
      msg_id: id,
      session: "test",
      username: "test",
      date: new Date().toISOString(),
      msg_type: "execute_request",
      version: "5.3",
    };
  }

  /** Executes `code` and resolves with its reply and outputs. */
  async run(
    code: string,
    options: { allowStdin?: boolean; silent?: boolean; userExpressions?: Record<string, string> } = {},
  ): Promise<Run> {
    const parent = this.header();
    const reply = await this.host.request({
      type: "execute",
      id: parent.msg_id,
      parent,
      code,
      executionCount: this.#count,
      silent: options.silent ?? false,
      storeHistory: true,
      userExpressions: options.userExpressions ?? {},
      allowStdin: options.allowStdin ?? false,
    });
    return this.collect(parent.msg_id, reply);
  }

  /** The outputs recorded so far for `msgId`. */
  collect(msgId: string, reply: Record<string, unknown> = {}): Run {
    const outputs = this.outputs.get(msgId) ?? [];
    const text = (name: string): string =>
      outputs.map((o) => (o.msgType === "stream" && o.content.name === name ? o.content.text : "")).join("");
    const result = outputs.find((o) => o.msgType === "execute_result");
    return {
      reply,
      outputs,
      stdout: text("stdout"),
      stderr: text("stderr"),
      result: result && result.msgType === "execute_result" ? String(result.content.data["text/plain"]) : undefined,
    };
  }

  /** Sends a non-execute request. */
  request(
    type: "complete" | "inspect" | "is_complete",
    code: string,
    cursorPos = code.length,
  ): Promise<Record<string, unknown>> {
    const id = `r-${++this.#count}`;
    if (type === "is_complete") return this.host.request({ type, id, code });
    if (type === "inspect") return this.host.request({ type, id, code, cursorPos, detailLevel: 0 });
    return this.host.request({ type, id, code, cursorPos });
  }

  /** Shuts the executor down and removes the scratch directory. */
  async close(): Promise<void> {
    await this.host.shutdown();
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}

/** Resolves after `ms` milliseconds. */
export function delay(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

// Polls a condition until it holds; the shared bounded wait (test/helpers/wait.ts).
export { until as waitFor } from "../helpers/wait";
