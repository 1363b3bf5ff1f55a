/**
 * A Jupyter kernel client over ZeroMQ, in TypeScript: typed requests and
 * replies, executes that gather their iopub outputs, stdin answered by a
 * callback. Used by `spindle run`, the grader, the tests and the benchmarks.
 */
import type {
  CompleteReplyContent,
  ConnectionInfo,
  HistoryReplyContent,
  HistoryRequestContent,
  InspectReplyContent,
  IsCompleteReplyContent,
  JupyterMessage,
  KernelInfoReplyContent,
  MessageHeader,
} from "../protocol";
import { MessageFactory } from "../protocol";
import { KernelClientError } from "./errors";
import { ClientSockets, type ClientChannel, type RequestChannel } from "./sockets";

/** Options of `execute`. Durations are in seconds. */
export interface ExecuteOptions {
  /** Seconds before the cell is interrupted (then `interruptGrace` more for its reply). Default: no limit. */
  timeout?: number;
  /** Seconds to wait for the reply after a timeout's interrupt before giving up (default 5). */
  interruptGrace?: number;
  silent?: boolean;
  storeHistory?: boolean;
  stopOnError?: boolean;
  userExpressions?: Record<string, string>;
  /** Allow input requests (default: true when `onInput` is given). */
  allowStdin?: boolean;
  /** Called with each output message as it arrives. */
  onOutput?(message: JupyterMessage): void;
  /** Answers an input request of the cell. */
  onInput?(prompt: string, password: boolean): string | Promise<string>;
}

/** What an execute produced. */
export interface ExecuteResult {
  /** The execute_reply. */
  reply: JupyterMessage;
  status: "ok" | "error" | "aborted";
  executionCount: number | null;
  /** Output messages (stream, display_data, update_display_data, execute_result, error, clear_output) in order. */
  outputs: JupyterMessage[];
  /** Every iopub message of the request, status included, in order. */
  iopub: JupyterMessage[];
  /** True when the cell ran past `timeout` and was interrupted. */
  timedOut: boolean;
}

interface Pending {
  resolve(reply: JupyterMessage): void;
  reject(err: Error): void;
}

interface Collector {
  iopub: JupyterMessage[];
  idle: boolean;
  onIdle?: () => void;
  onOutput?: (m: JupyterMessage) => void;
  onInput?: ExecuteOptions["onInput"];
}

/** Listener of every message the client receives. */
export type MessageListener = (channel: ClientChannel, message: JupyterMessage) => void;

/** A connected client of one kernel. */
export class KernelClient {
  readonly #sockets: ClientSockets;
  readonly #factory: MessageFactory;
  readonly #pending = new Map<string, Pending>();
  readonly #collectors = new Map<string, Collector>();
  readonly #listeners = new Set<MessageListener>();
  readonly #invalidListeners = new Set<(channel: ClientChannel, error: Error) => void>();
  #failure: Error | undefined;

  /** Connects to the kernel described by `info` (connecting is lazy; see `waitForReady`). */
  constructor(
    readonly info: ConnectionInfo,
    options: { username?: string } = {},
  ) {
    this.#factory = new MessageFactory(undefined, options.username ?? "spindle-client");
    this.#sockets = new ClientSockets(info, this.#factory.session, {
      message: (channel, message) => this.#onMessage(channel, message),
      invalid: (channel, error) => {
        for (const l of this.#invalidListeners) l(channel, error);
      },
    });
  }

  /** This client's session id (also its routing identity). */
  get session(): string {
    return this.#factory.session;
  }

  /** The factory this client creates its messages with. */
  get factory(): MessageFactory {
    return this.#factory;
  }

  /** The low-level sockets (raw sends, heartbeat). */
  get sockets(): ClientSockets {
    return this.#sockets;
  }

  /** Calls `listener` with every verified message received; returns a function removing it. */
  onMessage(listener: MessageListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Calls `listener` with every message refused (bad signature, frames or JSON). */
  onInvalid(listener: (channel: ClientChannel, error: Error) => void): () => void {
    this.#invalidListeners.add(listener);
    return () => this.#invalidListeners.delete(listener);
  }

  /**
   * Resolves once the kernel answers kernel_info and its iopub reaches this client
   * (a SUB socket misses what is published before it has joined).
   */
  async waitForReady(timeout = 30): Promise<KernelInfoReplyContent> {
    const deadline = Date.now() + timeout * 1000;
    for (;;) {
      const left = (deadline - Date.now()) / 1000;
      if (left <= 0)
        throw new KernelClientError(
          `The kernel did not answer kernel_info within ${timeout} s.`,
          "ERR_SPINDLE_CLIENT_TIMEOUT",
        );
      const message = this.#factory.message("kernel_info_request", {});
      const sawIopub = new Promise<void>((resolve) =>
        this.#collectors.set(message.header.msg_id, { iopub: [], idle: false, onIdle: resolve }),
      );
      try {
        const reply = await this.#send("shell", message, Math.min(left, 1));
        const ok = await within(
          sawIopub.then(() => true),
          200,
        );
        if (ok) return reply.content as unknown as KernelInfoReplyContent;
      } catch (err) {
        if ((err as KernelClientError).code !== "ERR_SPINDLE_CLIENT_TIMEOUT") throw err;
      } finally {
        this.#collectors.delete(message.header.msg_id);
      }
    }
  }

  /** Sends a request of `msgType` on `channel`; resolves with the reply message. `timeout` in seconds. */
  request(
    channel: "shell" | "control",
    msgType: string,
    content: Record<string, unknown>,
    timeout?: number,
  ): Promise<JupyterMessage> {
    return this.#send(channel, this.#factory.message(msgType, content), timeout);
  }

  /** kernel_info_request → reply content. */
  async kernelInfo(options: { channel?: "shell" | "control"; timeout?: number } = {}): Promise<KernelInfoReplyContent> {
    return (await this.request(options.channel ?? "shell", "kernel_info_request", {}, options.timeout))
      .content as unknown as KernelInfoReplyContent;
  }

  /** complete_request at `cursorPos` (default: end of code). */
  async complete(code: string, cursorPos = [...code].length, timeout?: number): Promise<CompleteReplyContent> {
    return (await this.request("shell", "complete_request", { code, cursor_pos: cursorPos }, timeout))
      .content as unknown as CompleteReplyContent;
  }

  /** inspect_request at `cursorPos` (default: end of code). */
  async inspect(
    code: string,
    cursorPos = [...code].length,
    detailLevel: 0 | 1 = 0,
    timeout?: number,
  ): Promise<InspectReplyContent> {
    return (
      await this.request(
        "shell",
        "inspect_request",
        { code, cursor_pos: cursorPos, detail_level: detailLevel },
        timeout,
      )
    ).content as unknown as InspectReplyContent;
  }

  /** is_complete_request. */
  async isComplete(code: string, timeout?: number): Promise<IsCompleteReplyContent> {
    return (await this.request("shell", "is_complete_request", { code }, timeout))
      .content as unknown as IsCompleteReplyContent;
  }

  /** history_request. */
  async history(content: HistoryRequestContent, timeout?: number): Promise<HistoryReplyContent> {
    return (await this.request("shell", "history_request", { output: false, raw: true, ...content }, timeout))
      .content as unknown as HistoryReplyContent;
  }

  /** interrupt_request on control. */
  async interrupt(timeout = 10): Promise<void> {
    await this.request("control", "interrupt_request", {}, timeout);
  }

  /** shutdown_request on control; the kernel replies, then exits. */
  async shutdown(restart = false, timeout = 10): Promise<void> {
    await this.request("control", "shutdown_request", { restart }, timeout);
  }

  /** Pings the heartbeat; true when it echoes within `timeout` seconds. */
  heartbeat(timeout = 1): Promise<boolean> {
    return this.#sockets.ping(timeout * 1000);
  }

  /** Runs `code`; resolves when both the reply and the idle status have arrived. */
  async execute(code: string, options: ExecuteOptions = {}): Promise<ExecuteResult> {
    const message = this.#factory.message("execute_request", {
      code,
      silent: options.silent ?? false,
      store_history: options.storeHistory ?? true,
      user_expressions: options.userExpressions ?? {},
      allow_stdin: options.allowStdin ?? options.onInput !== undefined,
      stop_on_error: options.stopOnError ?? true,
    });
    const id = message.header.msg_id;
    let markIdle!: () => void;
    const idle = new Promise<void>((resolve) => (markIdle = resolve));
    const collector: Collector = {
      iopub: [],
      idle: false,
      onIdle: markIdle,
      onOutput: options.onOutput,
      onInput: options.onInput,
    };
    this.#collectors.set(id, collector);
    const done = Promise.all([this.#send("shell", message), idle]);
    // Marked handled: after a timeout nobody may await it any more, and a later rejection must not crash.
    done.catch(() => undefined);
    let timedOut = false;
    try {
      let finished: [JupyterMessage, unknown];
      if (options.timeout === undefined) {
        finished = await done;
      } else {
        const first = await within(done, options.timeout * 1000);
        if (first === undefined) {
          timedOut = true;
          await this.interrupt().catch(() => undefined);
          const grace = options.interruptGrace ?? 5;
          const second = await within(done, grace * 1000);
          if (second === undefined) {
            throw new KernelClientError(
              `The cell ran past its ${options.timeout} s limit and did not stop within ${grace} s of an interrupt; restart the kernel.`,
              "ERR_SPINDLE_CLIENT_TIMEOUT",
            );
          }
          finished = second;
        } else finished = first;
      }
      const reply = finished[0];
      const content = reply.content as { status?: string; execution_count?: unknown };
      return {
        reply,
        status: content.status === "ok" || content.status === "aborted" ? content.status : "error",
        executionCount: typeof content.execution_count === "number" ? content.execution_count : null,
        outputs: collector.iopub.filter((m) => !NOT_OUTPUT.has(m.header.msg_type)),
        iopub: collector.iopub,
        timedOut,
      };
    } finally {
      this.#collectors.delete(id);
    }
  }

  /** Rejects every pending request with `error` (the kernel died, say). Later requests reject too. */
  fail(error: Error): void {
    this.#failure = error;
    const pending = [...this.#pending.values()];
    this.#pending.clear();
    for (const p of pending) p.reject(error);
  }

  /** Allows requests again after `fail` (the kernel was restarted). */
  revive(): void {
    this.#failure = undefined;
  }

  /** Closes the sockets; pending requests reject. */
  close(): void {
    this.fail(new KernelClientError("The client was closed.", "ERR_SPINDLE_CLIENT_CLOSED"));
    this.#sockets.close();
  }

  #send(channel: RequestChannel, message: JupyterMessage<unknown>, timeout?: number): Promise<JupyterMessage> {
    if (this.#failure) return Promise.reject(this.#failure);
    const id = message.header.msg_id;
    return new Promise<JupyterMessage>((resolve, reject) => {
      let timer: NodeJS.Timeout | undefined;
      if (timeout !== undefined) {
        timer = setTimeout(() => {
          this.#pending.delete(id);
          reject(
            new KernelClientError(
              `No ${message.header.msg_type.replace("_request", "_reply")} within ${timeout} s.`,
              "ERR_SPINDLE_CLIENT_TIMEOUT",
            ),
          );
        }, timeout * 1000);
      }
      this.#pending.set(id, {
        resolve: (m) => (clearTimeout(timer), resolve(m)),
        reject: (e) => (clearTimeout(timer), reject(e)),
      });
      this.#sockets.send(channel, message);
    });
  }

  #onMessage(channel: ClientChannel, message: JupyterMessage): void {
    for (const l of this.#listeners) l(channel, message);
    const parentId = (message.parent_header as Partial<MessageHeader>).msg_id;
    if (channel === "iopub") {
      const collector = parentId === undefined ? undefined : this.#collectors.get(parentId);
      if (!collector) return;
      collector.iopub.push(message);
      if (!NOT_OUTPUT.has(message.header.msg_type)) collector.onOutput?.(message);
      const state = (message.content as { execution_state?: string }).execution_state;
      if (message.header.msg_type === "status" && state === "idle") {
        collector.idle = true;
        collector.onIdle?.();
      }
    } else if (channel === "stdin") {
      // Only requests of this client's own executes with an onInput callback are answered here.
      const ask = parentId === undefined ? undefined : this.#collectors.get(parentId)?.onInput;
      if (message.header.msg_type === "input_request" && ask) void this.#answerInput(ask, message);
    } else if (parentId !== undefined) {
      const pending = this.#pending.get(parentId);
      this.#pending.delete(parentId);
      pending?.resolve(message);
    }
  }

  async #answerInput(ask: NonNullable<ExecuteOptions["onInput"]>, request: JupyterMessage): Promise<void> {
    const { prompt, password } = request.content as { prompt?: string; password?: boolean };
    let value = "";
    try {
      value = await ask(prompt ?? "", password === true);
    } catch {
      value = "";
    }
    this.#sockets.send("stdin", this.#factory.message("input_reply", { value, status: "ok" }, { parent: request }));
  }
}

const NOT_OUTPUT = new Set(["status", "execute_input"]);

/** `work`'s value, or undefined when `ms` pass first (the timer is cleared either way). */
async function within<T>(work: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      work,
      new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), ms))),
    ]);
  } finally {
    clearTimeout(timer);
  }
}
