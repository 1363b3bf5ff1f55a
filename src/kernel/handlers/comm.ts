/**
 * Comms: Spindle registers no comm targets yet, so comm_info lists none and a
 * comm_open is answered at once with comm_close (the frontend then knows the
 * comm does not exist instead of waiting on it).
 */
import type { NoticeHandler, RequestHandler } from "./types";

/** Lists open comms (none). */
export const commInfoRequest: RequestHandler<"comm_info_request"> = async () => ({ status: "ok", comms: {} });

/** Refuses a comm to an unknown target by closing it. */
export const commOpen: NoticeHandler<"comm_open"> = async (content, ctx) => {
  const commId = typeof content.comm_id === "string" ? content.comm_id : "";
  ctx.publish("comm_close", { comm_id: commId, data: { error: `No comm target named ${JSON.stringify(content.target_name)} in this kernel.` } });
};

/** Ignores messages to comms that do not exist. */
export const commMsg: NoticeHandler<"comm_msg"> = async () => undefined;

/** Ignores closing a comm that does not exist. */
export const commClose: NoticeHandler<"comm_close"> = async () => undefined;
