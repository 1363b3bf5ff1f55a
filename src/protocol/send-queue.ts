/**
 * A per-socket outgoing queue. zeromq v6 allows one pending `send()` per socket
 * (a second one fails with EBUSY), so every message goes through here and each
 * send is awaited before the next starts. A socket with `noDrop` (iopub) answers
 * EAGAIN while a subscriber is full: the queue waits and retries, it never drops.
 */
import type { Logger } from "../system/log";

/** Anything with zeromq's `send`. */
export interface FrameSink {
  send(frames: Buffer[]): Promise<void>;
}

/** A queued item: frames are built when the item's turn comes (so it can still be merged). */
export interface QueueItem {
  frames(): Buffer[];
  done?: () => void;
}

const STALL_WARNING_MS = 10_000;

/** Sends items in order on one socket, one at a time. */
export class SendQueue<T extends QueueItem = QueueItem> {
  protected readonly items: T[] = [];
  #running = false;
  #closed = false;
  #pushed = 0;
  #settled = 0;
  #waiters: { upTo: number; resolve: () => void }[] = [];

  /** Creates the queue of `socket`; `name` names it in the log. */
  constructor(
    private readonly socket: FrameSink,
    private readonly name: string,
    private readonly log: Logger,
  ) {}

  /** Queues an item; it is sent after everything queued before it. */
  push(item: T): void {
    if (this.#closed) {
      this.log.debug(`${this.name}: dropped a message queued after close`);
      return;
    }
    this.items.push(item);
    this.#pushed++;
    if (!this.#running) void this.#run();
  }

  /** Resolves when everything queued so far has been handed to ZeroMQ (later items are not waited for). */
  drained(): Promise<void> {
    if (this.#settled >= this.#pushed) return Promise.resolve();
    const upTo = this.#pushed;
    return new Promise((resolve) => this.#waiters.push({ upTo, resolve }));
  }

  /** Number of items waiting (not counting the one being sent). */
  get pending(): number {
    return this.items.length;
  }

  /** Stops accepting items; queued ones are still sent. */
  close(): void {
    this.#closed = true;
  }

  async #run(): Promise<void> {
    this.#running = true;
    try {
      while (this.items.length > 0) {
        const item = this.items.shift()!;
        try {
          await this.#sendOne(item.frames());
        } catch (err) {
          this.log.warn(`${this.name}: could not encode a message: ${(err as Error).message}`);
        }
        this.#settled++;
        item.done?.();
        this.#wake();
      }
    } finally {
      this.#running = false;
    }
  }

  #wake(): void {
    if (this.#waiters.length === 0) return;
    const ready = this.#waiters.filter((w) => w.upTo <= this.#settled);
    if (ready.length === 0) return;
    this.#waiters = this.#waiters.filter((w) => w.upTo > this.#settled);
    for (const w of ready) w.resolve();
  }

  async #sendOne(frames: Buffer[]): Promise<void> {
    let delay = 0;
    const started = Date.now();
    let warned = started;
    for (;;) {
      try {
        await this.socket.send(frames);
        return;
      } catch (err) {
        const code = (err as { code?: string }).code;
        if (code !== "EAGAIN") {
          // Closed socket or a real failure: log it; the next message must still go out.
          this.log.warn(`${this.name}: send failed (${code ?? (err as Error).message}); message not delivered`);
          return;
        }
        if (Date.now() - warned > STALL_WARNING_MS) {
          warned = Date.now();
          this.log.warn(
            `${this.name}: a subscriber has not read for ${Math.round((warned - started) / 1000)} s; holding output until it does`,
          );
        }
        await new Promise((resolve) => setTimeout(resolve, delay));
        delay = Math.min(delay + 1, 10);
      }
    }
  }
}
