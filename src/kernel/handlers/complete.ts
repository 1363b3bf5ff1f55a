/** complete_request: forwarded to the executor (which owns the TypeScript service). */
import { errorReply, num, obj } from "./content";
import type { RequestHandler } from "./types";

/** Returns completions at the cursor. */
export const completeRequest: RequestHandler<"complete_request"> = async (content, ctx) => {
  const { code, cursor_pos: cursorPos } = content;
  const reply = await ctx.kernel.executor.request({ type: "complete", id: ctx.message.header.msg_id, code, cursorPos });
  if (reply.status === "error") return errorReply(reply);
  return {
    status: "ok",
    matches: Array.isArray(reply.matches) ? reply.matches.filter((m): m is string => typeof m === "string") : [],
    cursor_start: num(reply.cursor_start, cursorPos),
    cursor_end: num(reply.cursor_end, cursorPos),
    metadata: obj(reply.metadata),
  };
};
