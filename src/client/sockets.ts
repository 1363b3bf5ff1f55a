/**
 * A client's side of the five channels: DEALER sockets for shell, control and
 * stdin (sharing one identity, as the kernel answers stdin to the shell identity),
 * a SUB socket for iopub and a REQ socket for the heartbeat.
 */
import { Dealer, Request, Subscriber, type Readable } from "zeromq";
import {
  createSigner,
  decodeMessage,
  encodeMessage,
  endpoint,
  type ConnectionInfo,
  type JupyterMessage,
  type Signer,
} from "../protocol";
import { SendQueue } from "../protocol/send-queue";
import { createLogger, type Logger } from "../system/log";

/** Channels a client receives on. */
export type ClientChannel = "shell" | "control" | "stdin" | "iopub";

/** Channels a client sends requests on. */
export type RequestChannel = "shell" | "control" | "stdin";

/** Receives every verified message, and every refused one. */
export interface SocketListener {
  message(channel: ClientChannel, message: JupyterMessage): void;
  invalid(channel: ClientChannel, error: Error, frames: Buffer[]): void;
}

/** The connected sockets of one client. */
export class ClientSockets {
  readonly #dealers: Record<RequestChannel, Dealer>;
  readonly #queues: Record<RequestChannel, SendQueue>;
  readonly #iopub: Subscriber;
  #hb: Request;
  readonly #signer: Signer;
  #closed = false;

  /** Connects to the kernel of `info`; `identity` is the routing id of shell, control and stdin. */
  constructor(
    readonly info: ConnectionInfo,
    identity: string,
    private readonly listener: SocketListener,
    log: Logger = createLogger("client"),
  ) {
    this.#signer = createSigner(info.signature_scheme, info.key);
    const dealer = (channel: RequestChannel): Dealer => {
      // A short reconnect interval: a kernel that is still starting is reached as soon as it binds.
      const socket = new Dealer({
        routingId: identity,
        linger: 0,
        receiveHighWaterMark: 0,
        sendHighWaterMark: 0,
        reconnectInterval: 10,
      });
      socket.connect(endpoint(info, channel));
      return socket;
    };
    this.#dealers = { shell: dealer("shell"), control: dealer("control"), stdin: dealer("stdin") };
    this.#queues = {
      shell: new SendQueue(this.#dealers.shell, "client shell", log),
      control: new SendQueue(this.#dealers.control, "client control", log),
      stdin: new SendQueue(this.#dealers.stdin, "client stdin", log),
    };
    this.#iopub = new Subscriber({ linger: 0, receiveHighWaterMark: 0, reconnectInterval: 10 });
    this.#iopub.connect(endpoint(info, "iopub"));
    this.#iopub.subscribe();
    this.#hb = this.#newHeartbeat();
    for (const channel of ["shell", "control", "stdin"] as const) void this.#receive(this.#dealers[channel], channel);
    void this.#receive(this.#iopub, "iopub");
  }

  /** Signs and sends `message` on `channel`. */
  send(channel: RequestChannel, message: JupyterMessage<unknown>): void {
    this.#queues[channel].push({ frames: () => encodeMessage(message, [], this.#signer) });
  }

  /** Sends frames exactly as given (for testing how a kernel treats malformed input). */
  sendRaw(channel: RequestChannel, frames: Buffer[]): void {
    this.#queues[channel].push({ frames: () => frames });
  }

  /** The signer of this connection (to build raw frames). */
  get signer(): Signer {
    return this.#signer;
  }

  /** Pings the heartbeat; resolves true when the echo comes back within `timeoutMs`. */
  async ping(timeoutMs: number): Promise<boolean> {
    const hb = this.#hb;
    const payload = Buffer.from(`ping-${Date.now()}-${Math.random()}`);
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), timeoutMs)));
    const echo = (async () => {
      await hb.send(payload);
      const [reply] = await hb.receive();
      return reply?.equals(payload) === true;
    })().catch(() => false);
    const ok = await Promise.race([echo, timeout]);
    clearTimeout(timer);
    if (!ok && !this.#closed) {
      // A REQ socket that missed its reply is stuck; start over with a new one.
      hb.close();
      this.#hb = this.#newHeartbeat();
    }
    return ok;
  }

  /** Closes every socket. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const q of Object.values(this.#queues)) q.close();
    for (const s of [...Object.values(this.#dealers), this.#iopub, this.#hb]) if (!s.closed) s.close();
  }

  #newHeartbeat(): Request {
    const hb = new Request({ linger: 0 });
    hb.connect(endpoint(this.info, "hb"));
    return hb;
  }

  async #receive(socket: Readable, channel: ClientChannel): Promise<void> {
    try {
      for await (const frames of socket) {
        let message: JupyterMessage;
        try {
          message = decodeMessage(frames, { signer: this.#signer }).message;
        } catch (err) {
          this.listener.invalid(channel, err as Error, frames);
          continue;
        }
        this.listener.message(channel, message);
      }
    } catch {
      // Closed: nothing more to read.
    }
  }
}
