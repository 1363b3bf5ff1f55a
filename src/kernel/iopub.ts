/**
 * The iopub channel: every broadcast goes through one ordered queue. While the
 * queue is backed up, a stream message is merged into the one queued just before
 * it when both have the same parent and stream name, so a flood of prints costs
 * few messages and no line is lost or reordered.
 */
import type { Publisher } from "zeromq";
import {
  encodeMessage,
  type JupyterMessage,
  type MessageFactory,
  type MessageHeader,
  type Signer,
  type StreamContent,
} from "../protocol";
import type { Logger } from "../system/log";
import { SendQueue, type QueueItem } from "../protocol/send-queue";

/** Merged stream text stops growing past this size; the next chunk starts a new message. */
const MAX_MERGED_TEXT = 4 * 1024 * 1024;

interface IopubItem extends QueueItem {
  message: JupyterMessage<unknown>;
}

class IopubQueue extends SendQueue<IopubItem> {
  /** Appends stream text to the last queued message when it is the same stream of the same parent. */
  tryMerge(message: JupyterMessage<unknown>): boolean {
    const last = this.items[this.items.length - 1];
    if (last?.message.header.msg_type !== "stream" || message.header.msg_type !== "stream") return false;
    const a = last.message.content as StreamContent;
    const b = message.content as StreamContent;
    if (a.name !== b.name || parentId(last.message) !== parentId(message)) return false;
    if (a.text.length + b.text.length > MAX_MERGED_TEXT) return false;
    a.text += b.text;
    return true;
  }
}

function parentId(message: JupyterMessage<unknown>): unknown {
  return (message.parent_header as Partial<MessageHeader>).msg_id;
}

/** Publishes kernel broadcasts (status, execute_input, outputs) on iopub. */
export class IopubPublisher {
  readonly #queue: IopubQueue;
  #published = 0;

  /** Wraps the PUB socket; messages are signed with `signer` and created by `factory`. */
  constructor(
    socket: Publisher,
    private readonly factory: MessageFactory,
    private readonly signer: Signer,
    log: Logger,
  ) {
    this.#queue = new IopubQueue(socket, "iopub", log);
  }

  /** Publishes a message of type `msgType` whose parent is `parent` (a request header, or none); comms add metadata and buffers. */
  publish(
    msgType: string,
    content: unknown,
    parent?: MessageHeader,
    extra: { metadata?: Record<string, unknown>; buffers?: Buffer[] } = {},
  ): void {
    const message = this.factory.message(msgType, content, {
      parent,
      metadata: extra.metadata,
      buffers: extra.buffers,
    });
    if (msgType === "stream") {
      // Copy, so merging never mutates content the caller still holds.
      message.content = { ...(content as StreamContent) };
      if (this.#queue.tryMerge(message)) return;
    }
    this.#published++;
    const signer = this.signer;
    this.#queue.push({ message, frames: () => encodeMessage(message, [Buffer.from(topicOf(msgType))], signer) });
  }

  /** Publishes `status` busy / idle / starting. */
  status(state: "busy" | "idle" | "starting", parent?: MessageHeader): void {
    this.publish("status", { execution_state: state }, parent);
  }

  /** Resolves when everything published so far has been handed to ZeroMQ. */
  drained(): Promise<void> {
    return this.#queue.drained();
  }

  /** Messages queued for sending (after merging) since start. */
  get publishedCount(): number {
    return this.#published;
  }

  /** Stops accepting messages (queued ones still go out). */
  close(): void {
    this.#queue.close();
  }
}

/** The PUB topic frame; clients subscribe to everything, ipykernel uses `kernel.<id>.<type>`-like topics. */
function topicOf(msgType: string): string {
  return `kernel.spindle.${msgType}`;
}
