/**
 * Shell requests run one at a time, in arrival order. When an execute fails
 * and asked for `stop_on_error`, the execute requests already queued behind it
 * are answered with `status: "aborted"` instead of running; requests that arrive
 * later run normally.
 */
import type { ExecuteRequestContent, RoutedMessage } from "../protocol";

interface Item {
  request: RoutedMessage;
  aborted: boolean;
}

/** How the queue runs and aborts requests. */
export interface ExecutionQueueHandlers {
  /** Handles a request completely (busy, reply, idle); resolves with the reply content, if any. */
  run(request: RoutedMessage): Promise<Record<string, unknown> | undefined>;
  /** Answers a request with an abort reply (busy, reply, idle). */
  abort(request: RoutedMessage): Promise<void>;
}

/** The serial queue of shell requests. */
export class ExecutionQueue {
  readonly #items: Item[] = [];
  #running = false;
  #idleWaiters: (() => void)[] = [];

  /** Creates the queue; `handlers` do the work. */
  constructor(private readonly handlers: ExecutionQueueHandlers) {}

  /** Queues a request behind those already queued. */
  push(request: RoutedMessage): void {
    this.#items.push({ request, aborted: false });
    if (!this.#running) void this.#run();
  }

  /** Number of requests waiting (not counting the running one). */
  get waiting(): number {
    return this.#items.length;
  }

  /** Resolves when the queue is empty and nothing runs. */
  idle(): Promise<void> {
    if (!this.#running) return Promise.resolve();
    return new Promise((resolve) => this.#idleWaiters.push(resolve));
  }

  async #run(): Promise<void> {
    this.#running = true;
    try {
      while (this.#items.length > 0) {
        const item = this.#items.shift()!;
        if (item.aborted) {
          await this.handlers.abort(item.request);
          continue;
        }
        let reply: Record<string, unknown> | undefined;
        try {
          reply = await this.handlers.run(item.request);
        } catch {
          // `run` answers errors itself; a throw here must not stop the queue.
          reply = undefined;
        }
        if (failedWithStopOnError(item.request, reply)) {
          for (const queued of this.#items) {
            if (queued.request.message.header.msg_type === "execute_request") queued.aborted = true;
          }
        }
      }
    } finally {
      this.#running = false;
      for (const w of this.#idleWaiters.splice(0)) w();
    }
  }
}

function failedWithStopOnError(request: RoutedMessage, reply: Record<string, unknown> | undefined): boolean {
  if (request.message.header.msg_type !== "execute_request" || reply?.status !== "error") return false;
  const content = request.message.content as Partial<ExecuteRequestContent>;
  return content.stop_on_error !== false && content.silent !== true;
}
