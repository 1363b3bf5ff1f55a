/**
 * A counter of permits shared by processes: a FIFO holding one byte per free
 * permit. Taking a permit is a non-blocking 1-byte read (atomic in the kernel,
 * so two processes can never take the same byte); giving one back is a 1-byte
 * write. A process that must wait opens a second descriptor as a libuv pipe
 * stream and is woken by epoll when a byte arrives — no polling, no broker.
 */
import { closeSync, constants, openSync, readSync, writeSync } from "node:fs";
import { Socket } from "node:net";
import { scaledMs } from "../../time/scale";

const FLAGS = constants.O_RDWR | constants.O_NONBLOCK;

interface Waiter {
  resolve(got: boolean): void;
  timer?: NodeJS.Timeout;
}

const openFifos = new Map<string, TokenFifo>();

/** One process's view of a permit FIFO. */
export class TokenFifo {
  readonly #fd: number;
  readonly #one = Buffer.alloc(1);
  readonly #waiters: Waiter[] = [];
  #stream: Socket | undefined;

  private constructor(readonly path: string) {
    this.#fd = openSync(path, FLAGS);
  }

  /** The shared view of `path` in this process (one descriptor per FIFO per process). */
  static open(path: string): TokenFifo {
    let f = openFifos.get(path);
    if (!f) {
      f = new TokenFifo(path);
      openFifos.set(path, f);
    }
    return f;
  }

  /** Takes a permit if one is free right now. */
  tryTake(): boolean {
    try {
      return readSync(this.#fd, this.#one, 0, 1, null) === 1;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === "EAGAIN") return false;
      throw err;
    }
  }

  /** Gives `n` permits back. */
  give(n = 1): void {
    const buf = n === 1 ? this.#one : Buffer.alloc(n);
    let off = 0;
    while (off < n) off += writeSync(this.#fd, buf, off, n - off);
  }

  /** Takes a permit, waiting up to `timeoutSec` seconds (undefined: forever); resolves false on timeout. */
  take(timeoutSec?: number): Promise<boolean> | boolean {
    if (this.#waiters.length === 0 && this.tryTake()) return true;
    if (timeoutSec === 0) return false;
    return new Promise<boolean>((resolve) => {
      const w: Waiter = { resolve };
      if (timeoutSec !== undefined) {
        w.timer = setTimeout(() => {
          const i = this.#waiters.indexOf(w);
          if (i >= 0) this.#waiters.splice(i, 1);
          if (this.#waiters.length === 0) this.#stopListening();
          resolve(false);
        }, scaledMs(timeoutSec));
      }
      this.#waiters.push(w);
      this.#listen();
    });
  }

  #listen(): void {
    if (this.#stream) return;
    const fd = openSync(this.path, FLAGS);
    const s = new Socket({ fd, readable: true, writable: false });
    s.on("data", (chunk: Buffer) => this.#onBytes(chunk.length));
    s.on("error", () => this.#stopListening());
    this.#stream = s;
  }

  #stopListening(): void {
    const s = this.#stream;
    this.#stream = undefined;
    s?.destroy();
  }

  /** Hands permits read by the stream to waiters, in order; returns extras to the FIFO. */
  #onBytes(n: number): void {
    let left = n;
    while (left > 0 && this.#waiters.length > 0) {
      const w = this.#waiters.shift() as Waiter;
      if (w.timer) clearTimeout(w.timer);
      left--;
      w.resolve(true);
    }
    if (this.#waiters.length === 0) this.#stopListening();
    if (left > 0) this.give(left);
  }

  /** Closes this process's descriptors (the FIFO's bytes live while any process keeps it open). */
  close(): void {
    this.#stopListening();
    openFifos.delete(this.path);
    closeSync(this.#fd);
  }
}
