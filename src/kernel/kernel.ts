/**
 * The kernel process: binds the sockets, reads requests, runs shell requests
 * one at a time and control requests at once, and relays the executor's
 * outputs to iopub. It never runs user code itself.
 */
import { OutputBudget } from "./output-budget";
import type { Readable } from "zeromq";
import {
  createSigner,
  decodeMessage,
  MessageFactory,
  ProtocolError,
  ReplayGuard,
  type ConnectionInfo,
  type MessageHeader,
  type RoutedMessage,
} from "../protocol";
import type { ExecutorOutput } from "../executor/ipc-messages";
import { Dispatcher } from "./dispatcher";
import type { ExecutorFactory, ExecutorLink } from "./executor-link";
import { ExecutionQueue } from "./execution-queue";
import { buildKernelInfo, noticeHandlers, requestHandlers, type KernelServices } from "./handlers";
import { runHeartbeat } from "./heartbeat";
import { History } from "./history";
import { IopubPublisher } from "./iopub";
import { createLogger, type Logger } from "../system/log";
import { descendantsOf, killAll } from "../system/process-tree";
import { SendQueue } from "../protocol/send-queue";
import { bindSockets, closeSockets, type KernelSockets } from "./sockets";
import { StdinChannel } from "./stdin-channel";

/** Default limit on one incoming message (all frames); bigger ones are logged and dropped. */
export const DEFAULT_MAX_MESSAGE_BYTES = 32 * 1024 * 1024;

/** How to start a kernel. */
export interface KernelOptions {
  connection: ConnectionInfo;
  startExecutor: ExecutorFactory;
  /** Working directory and environment of the executor (the kernel's own by default). */
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  log?: Logger;
  /** Largest accepted incoming message, in bytes (default 32 MiB, or SPINDLE_MAX_MESSAGE_BYTES). */
  maxMessageBytes?: number;
}

/** A running kernel. */
export class Kernel {
  /** A grading run's cap on cell output (SPINDLE_OUTPUT_LIMIT bytes): past it, output is dropped here, at the source. */
  readonly #outputBudget = new OutputBudget(Number(process.env.SPINDLE_OUTPUT_LIMIT) || Infinity);
  readonly #sockets: KernelSockets;
  readonly #log: Logger;
  readonly #iopub: IopubPublisher;
  readonly #replies: SendQueue[];
  readonly #stdin: StdinChannel;
  readonly #executor: ExecutorLink;
  #stopping: Promise<void> | undefined;
  #markDone!: () => void;
  /** Resolves once the kernel has shut down and closed its sockets. */
  readonly done = new Promise<void>((resolve) => (this.#markDone = resolve));

  /** Binds the sockets of `options.connection` and starts serving; the executor warms up in parallel. */
  static async start(options: KernelOptions): Promise<Kernel> {
    const { sockets, info } = await bindSockets(options.connection);
    return new Kernel(options, sockets, info);
  }

  private constructor(
    options: KernelOptions,
    sockets: KernelSockets,
    readonly connection: ConnectionInfo,
  ) {
    this.#sockets = sockets;
    const log = (this.#log = options.log ?? createLogger("kernel"));
    const signer = createSigner(connection.signature_scheme, connection.key);
    const factory = new MessageFactory(undefined, "spindle");
    const iopub = (this.#iopub = new IopubPublisher(sockets.iopub, factory, signer, log));
    const replies = {
      shell: new SendQueue(sockets.shell, "shell", log),
      control: new SendQueue(sockets.control, "control", log),
    };
    this.#replies = [replies.shell, replies.control];
    const history = new History();
    const silentRequests = new Set<string>();
    const erroredRequests = new Set<string>();
    const stdin = (this.#stdin = new StdinChannel(sockets.stdin, factory, signer, log, (id, value) =>
      this.#executor.inputReply(id, value),
    ));
    this.#executor = options.startExecutor({
      cwd: options.cwd,
      env: options.env,
      onOutput: (parent, output) => this.#onOutput(parent, output, { history, silentRequests, erroredRequests }),
      onInputRequest: (req) => stdin.request(req),
      log: (message) => log.warn(message),
    });
    const services: KernelServices = {
      executor: this.#executor,
      history,
      stdin,
      kernelInfo: buildKernelInfo(),
      executionCount: 0,
      silentRequests,
      erroredRequests,
      interrupt: () => this.interrupt(),
      shutdown: () => this.shutdown(),
    };
    const dispatcher = new Dispatcher({
      factory,
      signer,
      iopub,
      log,
      replies,
      handlers: requestHandlers,
      notices: noticeHandlers,
      services,
    });
    const queue = new ExecutionQueue({
      run: (r) => dispatcher.handle(r, "shell"),
      abort: (r) => dispatcher.abort(r, "shell"),
    });
    const decode = { signer, replay: new ReplayGuard(), maxBytes: options.maxMessageBytes ?? maxBytesFromEnv() };
    iopub.status("starting");
    void this.#receive(sockets.shell, "shell", decode, (r) => queue.push(r));
    void this.#receive(sockets.control, "control", decode, (r) => void dispatcher.handle(r, "control"));
    void this.#receive(sockets.stdin, "stdin", decode, (r) => stdin.receive(r.message));
    void runHeartbeat(sockets.hb, log);
    log.debug(`listening (${connection.transport}://${connection.ip}, shell ${connection.shell_port})`);
  }

  /** Interrupts the running cell (a control interrupt_request or SIGINT). */
  interrupt(): void {
    this.#log.debug("interrupt");
    this.#executor.interrupt();
  }

  /** Stops the executor (and all it started), flushes what is queued, closes the sockets. */
  shutdown(): Promise<void> {
    this.#stopping ??= this.#shutdown();
    return this.#stopping;
  }

  async #shutdown(): Promise<void> {
    this.#log.debug("shutting down");
    // Listed before the executor stops: once it is gone, what its cells spawned is re-parented out of reach.
    const family = descendantsOf(process.pid);
    await withTimeout(this.#executor.shutdown(), 10_000, () => this.#log.warn("executor shutdown timed out"));
    const killed = await killAll(family, 500);
    if (killed > 0) this.#log.debug(`stopped ${killed} process(es) left by cells`);
    await withTimeout(Promise.all([this.#iopub.drained(), ...this.#replies.map((q) => q.drained())]), 2000);
    this.#iopub.close();
    this.#stdin.close();
    for (const q of this.#replies) q.close();
    closeSockets(this.#sockets);
    this.#markDone();
  }

  #onOutput(
    parent: MessageHeader,
    output: ExecutorOutput,
    state: { history: History; silentRequests: Set<string>; erroredRequests: Set<string> },
  ): void {
    if (output.msgType === "execute_result") {
      if (state.silentRequests.has(parent.msg_id)) return;
      const text = output.content.data["text/plain"];
      if (typeof text === "string") state.history.recordOutput(parent.msg_id, text);
    } else if (output.msgType === "error") {
      state.erroredRequests.add(parent.msg_id);
    }
    if (this.#outputBudget.exhausted(output)) {
      const cut = this.#outputBudget.cutNotice();
      if (cut) this.#iopub.publish("stream", { name: "stderr", text: cut }, parent);
      return;
    }
    if ("buffers" in output || "metadata" in output) {
      // Comm messages: binary buffers crossed the IPC channel as Uint8Arrays.
      const buffers = (output.buffers ?? []).map((b) => Buffer.from(b.buffer, b.byteOffset, b.byteLength));
      this.#iopub.publish(output.msgType, output.content, parent, { metadata: output.metadata, buffers });
      return;
    }
    this.#iopub.publish(output.msgType, output.content, parent);
  }

  async #receive(
    socket: Readable,
    channel: string,
    decode: Parameters<typeof decodeMessage>[1],
    route: (r: RoutedMessage) => void,
  ): Promise<void> {
    try {
      for await (const frames of socket) {
        let request: RoutedMessage;
        try {
          request = decodeMessage(frames, decode);
        } catch (err) {
          const code = err instanceof ProtocolError ? ` [${err.code}]` : "";
          this.#log.warn(`${channel}: dropped a message: ${(err as Error).message}${code}`);
          continue;
        }
        this.#log.debug(`${channel}: ${request.message.header.msg_type} ${request.message.header.msg_id}`);
        route(request);
      }
    } catch (err) {
      if (!this.#stopping) this.#log.warn(`${channel}: receiving stopped: ${(err as Error).message}`);
    }
  }
}

function maxBytesFromEnv(): number {
  const raw = Number(process.env.SPINDLE_MAX_MESSAGE_BYTES);
  return Number.isFinite(raw) && raw > 0 ? raw : DEFAULT_MAX_MESSAGE_BYTES;
}

async function withTimeout(work: Promise<unknown>, ms: number, onTimeout?: () => void): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<void>((resolve) => {
    timer = setTimeout(() => {
      onTimeout?.();
      resolve();
    }, ms);
  });
  try {
    await Promise.race([
      work.then(
        () => undefined,
        () => undefined,
      ),
      timeout,
    ]);
  } finally {
    clearTimeout(timer);
  }
}
