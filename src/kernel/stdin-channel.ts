/**
 * The stdin channel: a running cell asks for input; the kernel sends an
 * input_request to the client whose execute_request is the cell's parent (by
 * its shell identity, as Jupyter clients share one identity across channels),
 * and routes that client's input_reply back to the executor.
 */
import type { Router } from "zeromq";
import {
  encodeMessage,
  type InputReplyContent,
  type JupyterMessage,
  type MessageFactory,
  type MessageHeader,
  type Signer,
} from "../protocol";
import type { InputRequest } from "./executor-link";
import type { Logger } from "../system/log";
import { SendQueue } from "../protocol/send-queue";

interface Pending {
  executorId: string;
  parentMsgId: string;
}

/** Routes input requests and replies between executor and frontends. */
export class StdinChannel {
  readonly #queue: SendQueue;
  /** Shell identities of the clients whose executes are running, by execute msg_id. */
  readonly #identities = new Map<string, Buffer[]>();
  /** Input requests waiting for a reply, by input_request msg_id. */
  readonly #pending = new Map<string, Pending>();

  /** Wraps the stdin ROUTER socket. `answer` delivers a value to the executor. */
  constructor(
    socket: Router,
    private readonly factory: MessageFactory,
    private readonly signer: Signer,
    private readonly log: Logger,
    private readonly answer: (executorId: string, value: string) => void,
  ) {
    this.#queue = new SendQueue(socket, "stdin", log);
  }

  /** Remembers who sent execute request `msgId`, so its input requests can reach them. */
  register(msgId: string, identities: Buffer[]): void {
    this.#identities.set(msgId, identities);
  }

  /** Forgets execute request `msgId` and any of its input requests still open. */
  unregister(msgId: string): void {
    this.#identities.delete(msgId);
    for (const [id, p] of this.#pending) if (p.parentMsgId === msgId) this.#pending.delete(id);
  }

  /** Sends an input_request for a running cell. */
  request(req: InputRequest): void {
    const identities = this.#identities.get(req.parent.msg_id);
    if (!identities) {
      this.log.warn(
        `input requested by a cell that is no longer running (${req.parent.msg_id}); answering with an empty line`,
      );
      this.answer(req.id, "");
      return;
    }
    const message = this.factory.message(
      "input_request",
      { prompt: req.prompt, password: req.password },
      { parent: req.parent as MessageHeader },
    );
    this.#pending.set(message.header.msg_id, { executorId: req.id, parentMsgId: req.parent.msg_id });
    this.#queue.push({ frames: () => encodeMessage(message, identities, this.signer) });
  }

  /** Handles a message received on stdin (an input_reply). */
  receive(message: JupyterMessage): void {
    if (message.header.msg_type !== "input_reply") {
      this.log.warn(`stdin: ignored a ${message.header.msg_type} message; only input_reply is expected here`);
      return;
    }
    const parentId = (message.parent_header as Partial<MessageHeader>).msg_id;
    let key = typeof parentId === "string" && this.#pending.has(parentId) ? parentId : undefined;
    // Some clients leave parent_header empty; with a single open request the match is unambiguous.
    if (key === undefined && this.#pending.size === 1) key = this.#pending.keys().next().value as string;
    const pending = key === undefined ? undefined : this.#pending.get(key);
    if (!pending || key === undefined) {
      this.log.warn(
        "stdin: an input_reply matched no open input request (the cell may have been interrupted); dropped",
      );
      return;
    }
    this.#pending.delete(key);
    const value = (message.content as Partial<InputReplyContent>).value;
    this.answer(pending.executorId, typeof value === "string" ? value : "");
  }

  /** Stops sending. */
  close(): void {
    this.#queue.close();
  }
}
