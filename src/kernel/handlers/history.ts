/** history_request: answered by the kernel from the cells it executed. */
import type { RequestHandler } from "./types";

/** Returns tail, range or search results of this kernel's history. */
export const historyRequest: RequestHandler<"history_request"> = async (content, ctx) => ({
  status: "ok",
  history: ctx.kernel.history.query(content),
});
