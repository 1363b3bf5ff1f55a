/**
 * Comms: the kernel process only routes them. comm_open, comm_msg and
 * comm_close from the frontend go to the executor, which owns the comm registry
 * (targets, open comms, widget models) and runs their handlers with the message
 * as parent; comm_info asks it which comms are open.
 */
import type { CommMsgType } from "../../executor/ipc-messages";
import { errorReply, obj } from "./content";
import type { NoticeHandler, RequestContext, RequestHandler } from "./types";

/** Lists the open comms, of one target when `target_name` is given. */
export const commInfoRequest: RequestHandler<"comm_info_request"> = async (content, ctx) => {
  const targetName = typeof content.target_name === "string" ? content.target_name : undefined;
  const reply = await ctx.kernel.executor.request({ type: "comm_info", id: ctx.message.header.msg_id, targetName });
  if (reply.status === "error") return errorReply(reply);
  return { status: "ok", comms: reply.comms };
};

async function forward(msgType: CommMsgType, content: unknown, ctx: RequestContext): Promise<void> {
  const raw = obj(content);
  if (typeof raw.comm_id !== "string" || raw.comm_id === "")
    throw new TypeError(`${msgType}: "comm_id" must be a non-empty string.`);
  const message = ctx.message;
  const reply = await ctx.kernel.executor.request({
    type: "comm",
    id: message.header.msg_id,
    parent: message.header,
    msgType,
    content: raw,
    metadata: obj(message.metadata),
    buffers: (message.buffers ?? []).map((b) => new Uint8Array(b.buffer, b.byteOffset, b.byteLength)),
  });
  if (reply.status === "error") throw new Error(`${msgType} failed in the executor: ${reply.evalue || reply.ename}`);
}

/** Opens a comm from the frontend: the executor runs the target's handler, or closes the comm if no target has that name. */
export const commOpen: NoticeHandler<"comm_open"> = (content, ctx) => forward("comm_open", content, ctx);

/** Delivers a message to an open comm's handlers in the executor. */
export const commMsg: NoticeHandler<"comm_msg"> = (content, ctx) => forward("comm_msg", content, ctx);

/** Closes a comm from the frontend side. */
export const commClose: NoticeHandler<"comm_close"> = (content, ctx) => forward("comm_close", content, ctx);
