/** complete_request: forwarded to the executor (which owns the TypeScript service). */
import { errorReply, num, obj, requireNumber, requireString } from "./content";
import type { RequestHandler } from "./types";

/** Returns completions at the cursor. */
export const completeRequest: RequestHandler<"complete_request"> = async (content, ctx) => {
  const raw = content as unknown as Record<string, unknown>;
  const code = requireString(raw, "code", "complete_request");
  const cursorPos = requireNumber(raw, "cursor_pos", "complete_request", [...code].length);
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
