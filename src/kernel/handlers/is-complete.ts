/** is_complete_request: forwarded to the executor (it parses TypeScript). */
import type { IsCompleteReplyContent } from "../../protocol";
import { requireString } from "./content";
import type { RequestHandler } from "./types";

const STATUSES = new Set(["complete", "incomplete", "invalid", "unknown"]);

/** Says whether the code is a complete cell, needs more lines, or cannot parse. */
export const isCompleteRequest: RequestHandler<"is_complete_request"> = async (content, ctx) => {
  const code = requireString(content as unknown as Record<string, unknown>, "code", "is_complete_request");
  const reply = await ctx.kernel.executor.request({ type: "is_complete", id: ctx.message.header.msg_id, code });
  const status = typeof reply.status === "string" && STATUSES.has(reply.status) ? (reply.status as IsCompleteReplyContent["status"]) : "unknown";
  const out: IsCompleteReplyContent = { status };
  if (status === "incomplete") out.indent = typeof reply.indent === "string" ? reply.indent : "";
  return out;
};
