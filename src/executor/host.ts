/**
 * The kernel's handle on its executor process: spawns it, relays requests and
 * outputs over Node IPC, interrupts it through a dedicated pipe, and replaces
 * it (with a clear error in the cell) when user code kills it.
 */
import { fork, type ChildProcess } from "node:child_process";
import path from "node:path";
import type { Writable } from "node:stream";
import type { MessageHeader } from "../protocol/header";
import type {
  AnyReply,
  ExecutorOutput,
  ExecutorToKernel,
  KernelToExecutor,
  ReplyTo,
  RequestWithReply,
} from "./ipc-messages";
import { buildSnapshotInBackground } from "./snapshot/background";
import { EXECUTOR_V8_ARGS, snapshotExecArgv } from "./snapshot/fingerprint";

/** What the kernel gives the host: where outputs and input requests go. */
export interface ExecutorHostOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  onOutput(parent: MessageHeader, output: ExecutorOutput): void;
  onInputRequest(req: { id: string; parent: MessageHeader; prompt: string; password: boolean }): void;
  log(message: string): void;
}

type Reply = AnyReply;

interface Pending {
  msg: RequestWithReply;
  resolve(reply: Reply): void;
}

const CHILD_MAIN = path.join(__dirname, "child", "main.js");
const SHUTDOWN_GRACE_MS = 2000;

/** A running executor process (replaced transparently when it dies). */
export class ExecutorHost {
  readonly #options: ExecutorHostOptions;
  #child!: ChildProcess;
  #interruptPipe!: Writable;
  #ready!: Promise<void>;
  readonly #pending = new Map<string, Pending>();
  #stopping = false;
  /** Set when an executor started from the snapshot died before it was ready: start without it. */
  #snapshotBroken = false;
  /** Set once a background snapshot build was asked for (one per kernel). */
  #snapshotRequested = false;

  private constructor(options: ExecutorHostOptions) {
    this.#options = options;
    this.#spawn();
  }

  /** Spawns an executor at once; it warms up (loads TypeScript) in the background. */
  static start(options: ExecutorHostOptions): ExecutorHost {
    return new ExecutorHost(options);
  }

  /** Resolves when the current executor can take requests. */
  get ready(): Promise<void> {
    return this.#ready;
  }

  /** The executor's pid (children started by cells have it as their parent). */
  get pid(): number | undefined {
    return this.#child.pid;
  }

  /** Sends a request; resolves with its reply content (an error reply if the executor died). */
  async request<M extends RequestWithReply>(msg: M): Promise<ReplyTo<M>> {
    // Registered at once, so an interrupt sent while the executor is still starting names this request.
    let resolveReply!: (reply: Reply) => void;
    const reply = new Promise<Reply>((resolve) => (resolveReply = resolve));
    this.#pending.set(msg.id, { msg, resolve: resolveReply });
    await this.#ready;
    // The executor answers request `id` with the reply its type has (ExecutorReplies); this is where the two meet.
    if (!this.#pending.has(msg.id)) return (await reply) as ReplyTo<M>; // the executor died while starting: already answered
    this.#child.send(msg, (err) => {
      if (err && this.#pending.delete(msg.id)) resolveReply(diedReply(msg, "could not be reached"));
    });
    return (await reply) as ReplyTo<M>;
  }

  /** Delivers the frontend's answer to an input request. */
  inputReply(id: string, value: string): void {
    this.#child.send({ type: "input_reply", id, value } satisfies KernelToExecutor);
  }

  /** Asks the executor to interrupt the running cell; returns at once. */
  interrupt(): void {
    // Name the execute request in flight, so the interrupt cannot land on a later cell.
    // A comm message's handlers (a widget observer) run like a cell and are interrupted like one.
    const running = [...this.#pending.values()].find((p) => p.msg.type === "execute" || p.msg.type === "comm");
    this.#interruptPipe.write(`i${running?.msg.id ?? ""}\n`);
  }

  /** Replaces the executor with a fresh one: all state is lost. */
  async restart(): Promise<void> {
    await this.#stop();
    this.#stopping = false;
    this.#spawn();
    await this.#ready;
  }

  /** Shuts the executor down gracefully, then forcefully; nothing is left running. */
  async shutdown(): Promise<void> {
    await this.#stop();
  }

  #spawn(readyOfEarlierAttempt?: () => void): void {
    const env = this.#options.env ?? process.env;
    const snapshotArgv = this.#snapshotBroken || env.SPINDLE_EXECUTOR_SNAPSHOT === "0" ? [] : snapshotExecArgv(env);
    if (
      snapshotArgv.length === 0 &&
      !this.#snapshotBroken &&
      env.SPINDLE_EXECUTOR_SNAPSHOT !== "0" &&
      !this.#snapshotRequested
    ) {
      this.#snapshotRequested = buildSnapshotInBackground(env, this.#options.log);
    }
    // A grading sandbox confines the executor (where user code runs) with Node's permission model.
    const execArgv = [...snapshotArgv, ...EXECUTOR_V8_ARGS, ...sandboxExecArgv(env)];
    const child = fork(CHILD_MAIN, [], {
      cwd: this.#options.cwd,
      env: executorEnv(env),
      stdio: ["ignore", "pipe", "pipe", "ipc", "pipe"],
      serialization: "advanced",
      execArgv,
    });
    this.#child = child;
    this.#interruptPipe = child.stdio[4] as Writable;
    this.#interruptPipe.on("error", () => undefined);
    // The executor routes user output through IPC; anything on its real stdio is a diagnostic.
    child.stdout?.on("data", (d: Buffer) => this.#options.log(`executor stdout: ${d.toString().trimEnd()}`));
    child.stderr?.on("data", (d: Buffer) => {
      // Node prints this at exit because the watchdog's inspector session is open; it is not a problem.
      const text = d
        .toString()
        .replace(/^Waiting for the debugger to disconnect\.\.\.\n?/m, "")
        .trimEnd();
      if (text !== "") this.#options.log(`executor: ${text}`);
    });
    let markReady!: () => void;
    if (readyOfEarlierAttempt) {
      markReady = readyOfEarlierAttempt;
    } else {
      this.#ready = new Promise<void>((resolve) => (markReady = resolve));
    }
    let ready = false;
    const onReady = (): void => {
      ready = true;
      markReady();
    };
    child.on("message", (msg: ExecutorToKernel) => this.#onMessage(msg, onReady));
    child.on("exit", (code, signal) => {
      if (!ready && snapshotArgv.length > 0 && !this.#stopping && child === this.#child) {
        this.#snapshotBroken = true;
        this.#options.log(
          `executor started from the snapshot exited (${signal ?? code}) before it was ready; starting it without the snapshot`,
        );
        this.#spawn(markReady);
        return;
      }
      this.#onExit(child, code, signal, onReady);
    });
  }

  #onMessage(msg: ExecutorToKernel, markReady: () => void): void {
    switch (msg.type) {
      case "ready":
        markReady();
        return;
      case "output": {
        const { type: _type, parent, ...output } = msg;
        this.#options.onOutput(parent, output as ExecutorOutput);
        return;
      }
      case "reply": {
        for (const out of msg.outputs ?? []) this.#onMessage(out, markReady);
        const pending = this.#pending.get(msg.id);
        this.#pending.delete(msg.id);
        pending?.resolve(msg.content);
        return;
      }
      case "input_request":
        this.#options.onInputRequest({ id: msg.id, parent: msg.parent, prompt: msg.prompt, password: msg.password });
        return;
    }
  }

  #onExit(child: ChildProcess, code: number | null, signal: NodeJS.Signals | null, markReady: () => void): void {
    if (child !== this.#child) return;
    markReady();
    const how = signal ? `was killed by ${signal}` : `exited with code ${code}`;
    const pending = [...this.#pending.values()];
    this.#pending.clear();
    for (const p of pending) {
      const reply = diedReply(p.msg, how);
      if (p.msg.type === "execute") {
        const { ename, evalue, traceback } = reply as { ename: string; evalue: string; traceback: string[] };
        this.#options.onOutput(p.msg.parent, { msgType: "error", content: { ename, evalue, traceback } });
      }
      p.resolve(reply);
    }
    if (this.#stopping) return;
    this.#options.log(`executor ${how}; starting a fresh one`);
    this.#spawn();
  }

  async #stop(): Promise<void> {
    this.#stopping = true;
    const child = this.#child;
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
    if (child.connected) {
      const id = `shutdown-${Date.now()}`;
      void this.request({ type: "shutdown", id, restart: false });
    } else {
      child.kill("SIGTERM");
    }
    const timer = setTimeout(() => child.kill("SIGKILL"), SHUTDOWN_GRACE_MS);
    await exited;
    clearTimeout(timer);
  }
}

/** The flags a grading sandbox holds the executor with (permission model, preloads), from the environment. */
function sandboxExecArgv(env: NodeJS.ProcessEnv): string[] {
  if (!env.SPINDLE_EXECUTOR_EXEC_ARGV) return [];
  const parsed = JSON.parse(env.SPINDLE_EXECUTOR_EXEC_ARGV) as unknown;
  return Array.isArray(parsed) ? parsed.map(String) : [];
}

/** The executor's environment: the kernel's, minus what would make Node treat it as a test-runner child. */
function executorEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const out = { ...env };
  delete out.NODE_TEST_CONTEXT;
  return out;
}

function diedReply(msg: RequestWithReply, how: string): Reply {
  if (msg.type !== "execute")
    return { status: "error", ename: "ExecutorDied", evalue: `The executor ${how}.`, traceback: [] };
  const evalue =
    `The process running your code ${how} while this cell ran (for example process.exit(), an out-of-memory crash, or a kill). ` +
    "All variables and imports were lost: a fresh executor has started, so re-run the cells this one depends on.";
  return {
    status: "error",
    execution_count: msg.executionCount,
    ename: "ExecutorDied",
    evalue,
    traceback: [`\u001b[0;31mExecutorDied\u001b[0m: ${evalue}`],
    user_expressions: {},
    payload: [],
  };
}
