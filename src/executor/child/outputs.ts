/**
 * Cell outputs on their way to the kernel. Stream text is batched (per parent
 * and stream name, flushed every few milliseconds or when large) so a cell
 * printing 100,000 lines sends a handful of messages; rich outputs flush the
 * pending text first so the order a cell produced things in is kept.
 */
import { randomUUID } from "node:crypto";
import type { MessageHeader } from "../../protocol/header";
import type { ExecutorOutput, ExecutorToKernel } from "../ipc-messages";
import type { DisplayContent, MimeBundle, OutputSink } from "../../runtime/cell-context";
import { SpindleError } from "../../errors";

const FLUSH_INTERVAL_MS = 10;
const FLUSH_BYTES = 256 * 1024;
/**
 * A grading run's output cap (SPINDLE_OUTPUT_LIMIT bytes). The kernel enforces it and says so; text past
 * it plus a margin (so the kernel sees the cap crossed) is dropped here already, before it costs memory.
 */
const OUTPUT_LIMIT = (Number(process.env.SPINDLE_OUTPUT_LIMIT) || Infinity) + 64 * 1024;

type OutputMessage = Extract<ExecutorToKernel, { type: "output" }>;

interface PendingText {
  parent: MessageHeader;
  name: "stdout" | "stderr";
  chunks: string[];
  size: number;
}

/** A sink with the extra calls the executor itself uses for results and errors. */
export interface CellSink extends OutputSink {
  result(data: MimeBundle, executionCount: number): void;
  error(fields: { ename: string; evalue: string; traceback: string[] }): void;
}

/** Batches and sends the outputs of every cell. */
export class OutputChannel {
  readonly #send: (msg: ExecutorToKernel) => void;
  #pending: PendingText[] = [];
  #pendingSize = 0;
  #timer: NodeJS.Timeout | undefined;
  #lastFlush = 0;
  /** True while this object is changing its buffers (a watchdog flush must then wait). */
  #busy = false;
  /** Told when text starts waiting (a timestamp) and when none waits (0): the watchdog watches it. */
  #pendingSince: Int32Array | undefined;
  readonly #inputs = new Map<string, { resolve(v: string): void; reject(e: Error): void }>();
  #sent = 0;
  /** A cell's result, held back to travel with its reply; anything sent after it sends it first. */
  #held: OutputMessage | undefined;

  /** `send` delivers one message to the kernel. */
  constructor(send: (msg: ExecutorToKernel) => void) {
    this.#send = send;
  }

  /** The sink of the cell whose request header is `parent`. */
  sinkFor(parent: MessageHeader, allowStdin: boolean): CellSink {
    return {
      stream: (name, text) => this.#stream(parent, name, text),
      display: (content: DisplayContent, update: boolean) =>
        this.#output(parent, {
          msgType: update ? "update_display_data" : "display_data",
          content: normalizeDisplay(content),
        }),
      clearOutput: (wait) => this.#output(parent, { msgType: "clear_output", content: { wait } }),
      input: (prompt, password) => this.#input(parent, allowStdin, prompt, password),
      result: (data, executionCount) =>
        this.#output(parent, {
          msgType: "execute_result",
          content: { data, metadata: {}, execution_count: executionCount },
        }),
      error: (fields) => this.#output(parent, { msgType: "error", content: fields }),
      comm: (msgType, content, metadata, buffers) => this.#output(parent, { msgType, content, metadata, buffers }),
    };
  }

  /**
   * Shares a slot the watchdog thread reads: the time text started waiting.
   * When the main thread spins in user code the flush timer cannot fire, so
   * the watchdog calls `flushFromWatchdog` through the inspector instead: text
   * printed before a busy loop still shows up at once.
   */
  watchPending(slot: Int32Array): void {
    this.#pendingSince = slot;
  }

  /** Flush requested by the watchdog while the main thread is busy; skipped if it interrupted a buffer update. */
  flushFromWatchdog(): void {
    if (!this.#busy) this.flush();
  }

  /** Sends every pending piece of text now. */
  flush(): void {
    this.#busy = true;
    this.#lastFlush = Date.now();
    if (this.#pendingSince) Atomics.store(this.#pendingSince, 0, 0);
    if (this.#timer) {
      clearTimeout(this.#timer);
      this.#timer = undefined;
    }
    const pending = this.#pending;
    this.#pending = [];
    this.#pendingSize = 0;
    try {
      if (pending.length > 0) this.#releaseHeld();
      for (const p of pending) {
        this.#send({
          type: "output",
          parent: p.parent,
          msgType: "stream",
          content: { name: p.name, text: p.chunks.join("") },
        });
      }
    } finally {
      this.#busy = false;
    }
  }

  /** Delivers the frontend's answer to an input request. */
  inputReply(id: string, value: string): void {
    const waiter = this.#inputs.get(id);
    this.#inputs.delete(id);
    waiter?.resolve(value);
  }

  /** Rejects every pending input request (on interrupt). */
  cancelInputs(reason: Error): void {
    for (const w of this.#inputs.values()) w.reject(reason);
    this.#inputs.clear();
  }

  #stream(parent: MessageHeader, name: "stdout" | "stderr", text: string): void {
    if (text.length === 0 || this.#sent >= OUTPUT_LIMIT) return;
    if ((this.#sent += text.length) > OUTPUT_LIMIT) text = text.slice(0, text.length - (this.#sent - OUTPUT_LIMIT));
    this.#busy = true;
    const last = this.#pending[this.#pending.length - 1];
    if (last && last.parent === parent && last.name === name) {
      last.chunks.push(text);
      last.size += text.length;
    } else {
      this.#pending.push({ parent, name, chunks: [text], size: text.length });
    }
    this.#pendingSize += text.length;
    this.#busy = false;
    // The first text after a quiet spell goes out at once; text that follows within the
    // interval is batched with it.
    const now = Date.now();
    if (this.#pendingSize >= FLUSH_BYTES || now - this.#lastFlush >= FLUSH_INTERVAL_MS) {
      this.flush();
    } else if (!this.#timer) {
      this.#timer = setTimeout(() => this.flush(), FLUSH_INTERVAL_MS).unref();
      if (this.#pendingSince) Atomics.store(this.#pendingSince, 0, now % 0x7fffffff || 1);
    }
  }

  /** Takes the held result (sent text flushed first), to attach to the reply of its cell. */
  takeHeld(): OutputMessage[] {
    this.flush();
    const held = this.#held;
    this.#held = undefined;
    return held ? [held] : [];
  }

  #releaseHeld(): void {
    const held = this.#held;
    this.#held = undefined;
    if (held) this.#send(held);
  }

  #output(parent: MessageHeader, out: ExecutorOutput): void {
    this.flush();
    this.#releaseHeld();
    const msg = { type: "output", parent, ...out } as OutputMessage;
    if (out.msgType === "execute_result") this.#held = msg;
    else this.#send(msg);
  }

  #input(parent: MessageHeader, allowStdin: boolean, prompt: string, password: boolean): Promise<string> {
    this.#releaseHeld();
    if (!allowStdin) {
      return Promise.reject(
        new SpindleError(
          "input() cannot ask for a value here: this frontend does not accept input (allow_stdin is false, as in nbconvert or `spindle run`). Set the value in code instead.",
          "ERR_SPINDLE_NO_STDIN",
        ),
      );
    }
    this.flush();
    const id = randomUUID();
    return new Promise<string>((resolve, reject) => {
      this.#inputs.set(id, { resolve, reject });
      this.#send({ type: "input_request", id, parent, prompt, password });
    });
  }
}

function normalizeDisplay(content: DisplayContent): DisplayContent {
  return { data: content.data, metadata: content.metadata ?? {}, transient: content.transient ?? {} };
}
