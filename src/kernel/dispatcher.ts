/**
 * The dispatcher owns the envelope of every request on shell and control:
 * busy → handler → reply (an error reply, logged, if the handler throws) → idle,
 * all with the request as parent. Unknown types are logged and, where a reply
 * type can be derived, answered with an error reply.
 */
import {
  encodeMessage,
  replyTypeOf,
  type CommMessageType,
  type ErrorReplyContent,
  type MessageFactory,
  type RequestType,
  type RequestContentMap,
  type RoutedMessage,
  type Signer,
} from "../protocol";
import type { HandlerTable, KernelServices, NoticeTable, RequestContext } from "./handlers";
import type { IopubPublisher } from "./iopub";
import { checkRequestContent } from "./request-content";
import type { Logger } from "../system/log";
import type { SendQueue } from "../protocol/send-queue";

/** A channel that carries requests with replies. */
export type RequestChannel = "shell" | "control";

/** What the dispatcher needs. */
export interface DispatcherDeps {
  factory: MessageFactory;
  signer: Signer;
  iopub: IopubPublisher;
  log: Logger;
  replies: Record<RequestChannel, SendQueue>;
  handlers: HandlerTable;
  notices: NoticeTable;
  services: KernelServices;
}

/** Serves one request at a time per call; shell calls come from the execution queue, control calls directly. */
export class Dispatcher {
  /** Creates a dispatcher over `deps`. */
  constructor(private readonly deps: DispatcherDeps) {}

  /** Handles a request fully; resolves with the reply content sent (undefined when none). */
  async handle(request: RoutedMessage, channel: RequestChannel): Promise<Record<string, unknown> | undefined> {
    const { iopub, log } = this.deps;
    const header = request.message.header;
    const msgType = header.msg_type;
    const after: (() => void | Promise<void>)[] = [];
    const ctx: RequestContext = {
      message: request.message,
      identities: request.identities,
      channel,
      kernel: this.deps.services,
      publish: (type, content) => iopub.publish(type, content, header),
      afterReply: (fn) => after.push(fn),
    };
    iopub.status("busy", header);
    let reply: Record<string, unknown> | undefined;
    try {
      if (isRequestType(msgType, this.deps.handlers)) {
        reply = await this.#run(msgType, request, ctx);
        await this.#reply(request, channel, replyTypeOf(msgType)!, reply);
      } else if (isNoticeType(msgType, this.deps.notices)) {
        await this.#notice(msgType, request, ctx);
      } else {
        reply = await this.#unknown(request, channel);
      }
    } finally {
      iopub.status("idle", header);
    }
    for (const fn of after) {
      try {
        await fn();
      } catch (err) {
        log.warn(`after ${msgType}: ${(err as Error).stack ?? String(err)}`);
      }
    }
    return reply;
  }

  /** Answers an execute request that stop_on_error skipped: busy, `status: "aborted"` reply, idle. */
  async abort(request: RoutedMessage, channel: RequestChannel): Promise<void> {
    const header = request.message.header;
    this.deps.log.debug(`aborting ${header.msg_type} ${header.msg_id} (an earlier cell failed)`);
    this.deps.iopub.status("busy", header);
    try {
      await this.#reply(request, channel, replyTypeOf(header.msg_type) ?? "execute_reply", { status: "aborted" });
    } finally {
      this.deps.iopub.status("idle", header);
    }
  }

  async #run(msgType: RequestType, request: RoutedMessage, ctx: RequestContext): Promise<Record<string, unknown>> {
    // The table is typed per msg_type; called through the union, the handler takes the content checked for it.
    const handler = this.deps.handlers[msgType] as (
      content: RequestContentMap[RequestType],
      ctx: RequestContext,
    ) => Promise<object>;
    try {
      return { ...(await handler(checkRequestContent(msgType, request.message.content), ctx)) };
    } catch (err) {
      this.deps.log.warn(`${msgType} failed: ${(err as Error).stack ?? String(err)}`);
      return errorContent(err);
    }
  }

  async #notice(msgType: CommMessageType, request: RoutedMessage, ctx: RequestContext): Promise<void> {
    const handler = this.deps.notices[msgType] as (content: unknown, ctx: RequestContext) => Promise<void>;
    try {
      await handler(request.message.content, ctx);
    } catch (err) {
      this.deps.log.warn(`${msgType} failed: ${(err as Error).stack ?? String(err)}`);
    }
  }

  async #unknown(request: RoutedMessage, channel: RequestChannel): Promise<Record<string, unknown> | undefined> {
    const msgType = request.message.header.msg_type;
    const replyType = replyTypeOf(msgType);
    this.deps.log.warn(
      `${channel}: unknown message type ${JSON.stringify(msgType)}${replyType ? `; answered with an error ${replyType}` : "; ignored"}`,
    );
    if (!replyType) return undefined;
    const reply: ErrorReplyContent & Record<string, unknown> = {
      status: "error",
      ename: "UnknownMessageType",
      evalue: `Spindle does not handle ${msgType} on the ${channel} channel.`,
      traceback: [],
    };
    await this.#reply(request, channel, replyType, reply);
    return reply;
  }

  async #reply(
    request: RoutedMessage,
    channel: RequestChannel,
    replyType: string,
    content: Record<string, unknown>,
  ): Promise<void> {
    // Outputs go out before the reply, so a client that stops reading iopub at the reply misses nothing.
    await this.deps.iopub.drained();
    const status = typeof content.status === "string" ? content.status : "ok";
    const message = this.deps.factory.message(replyType, content, { parent: request.message, metadata: { status } });
    const signer = this.deps.signer;
    this.deps.replies[channel].push({ frames: () => encodeMessage(message, request.identities, signer) });
  }
}

function isRequestType(msgType: string, handlers: HandlerTable): msgType is RequestType {
  return Object.hasOwn(handlers, msgType);
}

function isNoticeType(msgType: string, notices: NoticeTable): msgType is CommMessageType {
  return Object.hasOwn(notices, msgType);
}

function errorContent(err: unknown): Record<string, unknown> {
  const e = err instanceof Error ? err : new Error(String(err));
  return { status: "error", ename: e.name, evalue: e.message, traceback: (e.stack ?? e.message).split("\n") };
}
