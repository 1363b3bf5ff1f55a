/**
 * Starts the executor before the kernel's own modules load, and hands it to
 * the kernel once the kernel exists: the executor takes longest to get ready,
 * so every millisecond it starts earlier is one less before the first result.
 */
import { ExecutorHost, type ExecutorHostOptions } from "./host";

/** An executor started ahead of the kernel, waiting to be claimed. */
export class EarlyExecutor {
  readonly #host: ExecutorHost;
  #target: ExecutorHostOptions | undefined;
  #claimed = false;
  readonly #earlyLogs: string[] = [];

  /** Spawns the executor now, with the kernel's working directory and environment. */
  constructor() {
    this.#host = ExecutorHost.start({
      onOutput: (parent, output) => this.#target?.onOutput(parent, output),
      onInputRequest: (req) => this.#target?.onInputRequest(req),
      log: (message) => (this.#target ? this.#target.log(message) : this.#earlyLogs.push(message)),
    });
  }

  /**
   * An executor factory for the kernel: the first call gets the early executor
   * (unless it asks for another directory or environment, which only a fresh
   * start can give); later calls start fresh ones.
   */
  readonly factory = (callbacks: ExecutorHostOptions): ExecutorHost => {
    if (this.#claimed || callbacks.cwd !== undefined || callbacks.env !== undefined) {
      void this.discard();
      return ExecutorHost.start(callbacks);
    }
    this.#claimed = true;
    this.#target = callbacks;
    for (const message of this.#earlyLogs.splice(0)) callbacks.log(message);
    return this.#host;
  };

  /** Stops the early executor if no kernel took it (e.g. the connection file was bad). */
  async discard(): Promise<void> {
    if (this.#claimed) return;
    this.#claimed = true;
    await this.#host.shutdown();
  }
}
