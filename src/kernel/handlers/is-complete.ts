/** is_complete_request: forwarded to the executor (it parses TypeScript). */
import type { IsCompleteReplyContent } from "../../protocol";
import type { RequestHandler } from "./types";

/** Says whether the code is a complete cell, needs more lines, or cannot parse. */
export const isCompleteRequest: RequestHandler<"is_complete_request"> = async (content, ctx) => {
  const reply = await ctx.kernel.executor.request({
    type: "is_complete",
    id: ctx.message.header.msg_id,
    code: content.code,
  });
  if (reply.status === "incomplete") return { status: "incomplete", indent: reply.indent };
  const status: IsCompleteReplyContent["status"] = reply.status === "error" ? "unknown" : reply.status;
  return { status };
};
