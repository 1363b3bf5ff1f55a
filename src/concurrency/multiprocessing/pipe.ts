/**
 * `Pipe(duplex)` → two Connections (Python's `multiprocessing.Pipe`). Whatever
 * one end sends, the other end receives, in order, from any process the
 * Connection was passed to. After one end closes, the other still receives
 * what was already sent, then `recv()` rejects with EOFError.
 */
import { createBackend, backendFor, type Backend } from "./backend";
import { PipeCore } from "./cores/pipe-core";
import { EOFError, ProcessStateError } from "./errors";
import { decode, encode, registerReviver, toHandle, type HandleData, type Shareable } from "./handles";
import { registerFactory } from "./hub";
import { checkSeconds } from "../time/scale";

registerFactory("Pipe", () => new PipeCore());

/** One end of a pipe. */
export class Connection<T = unknown> implements Shareable {
  #closed = false;
  readonly #b: Backend;
  readonly #end: 0 | 1;

  /** Internal: use `Pipe()` to make connections. */
  constructor(
    backend: Backend,
    end: 0 | 1,
    /** True if this end may receive. */
    readonly readable: boolean,
    /** True if this end may send. */
    readonly writable: boolean,
  ) {
    this.#b = backend;
    this.#end = end;
  }

  /** True after close() on this end (in this process). */
  get closed(): boolean {
    return this.#closed;
  }

  #check(what: string, allowed: boolean, direction: string): void {
    if (this.#closed)
      throw new ProcessStateError(
        `${what} on a closed connection; this end was closed with close().`,
        "ERR_SPINDLE_PIPE_CLOSED",
      );
    if (!allowed) {
      throw new ProcessStateError(
        `${what} on a connection that is ${direction}: Pipe(false) gives [receiveEnd, sendEnd]; use the other end, or Pipe() for two-way talk.`,
        "ERR_SPINDLE_PIPE_DIRECTION",
      );
    }
  }

  /** Sends a copy of `value` to the other end (never waits). */
  send(value: T): void {
    this.#check("send()", this.writable, "read-only");
    this.#b.cast("send", [this.#end, encode(value, "the sent value")]);
  }

  /** Receives the next value; waits for one; rejects with EOFError when the other end closed and nothing is left. */
  async recv(): Promise<T> {
    this.#check("recv()", this.readable, "write-only");
    return decode(await this.#b.call("recv", [this.#end])) as T;
  }

  /** Whether a value (or EOF) is ready; waits up to `timeout` seconds (default 0, null = forever). */
  async poll(timeout: number | null = 0): Promise<boolean> {
    this.#check("poll()", this.readable, "write-only");
    const t = timeout === null ? null : checkSeconds(timeout, "Connection.poll timeout");
    return (await this.#b.call("poll", [this.#end, t])) as boolean;
  }

  /** Closes this end: the other end gets EOFError once it has read what was sent. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#b.cast("close", [this.#end]);
  }

  [toHandle](): HandleData {
    return { kind: "Connection", id: this.#b.id, end: this.#end, readable: this.readable, writable: this.writable };
  }
}

/** Creates a pipe: two-way by default; `Pipe(false)` gives `[receiveOnly, sendOnly]`, as in Python. */
export function Pipe<T = unknown>(duplex = true): [Connection<T>, Connection<T>] {
  const b = createBackend("Pipe", [], () => new PipeCore());
  return [new Connection<T>(b, 0, true, duplex), new Connection<T>(b, 1, duplex, true)];
}

registerReviver(
  "Connection",
  (d) => new Connection(backendFor(d.id as string), d.end as 0 | 1, d.readable as boolean, d.writable as boolean),
  Connection,
  __filename,
);

export { EOFError };
