/** inspect_request: forwarded to the executor. */
import { errorReply, obj } from "./content";
import type { RequestHandler } from "./types";

/** Returns documentation of the name at the cursor. */
export const inspectRequest: RequestHandler<"inspect_request"> = async (content, ctx) => {
  const { code, cursor_pos: cursorPos, detail_level: detailLevel = 0 } = content;
  const reply = await ctx.kernel.executor.request({
    type: "inspect",
    id: ctx.message.header.msg_id,
    code,
    cursorPos,
    detailLevel,
  });
  if (reply.status === "error") return errorReply(reply);
  const data = obj(reply.data);
  return {
    status: "ok",
    found: reply.found === true && Object.keys(data).length > 0,
    data,
    metadata: obj(reply.metadata),
  };
};
