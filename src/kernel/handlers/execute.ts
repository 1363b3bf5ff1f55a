/** execute_request: counts, announces (execute_input), records history, runs the cell in the executor. */
import type { ExecuteRequestContent } from "../../protocol";
import { errorReply, num, obj } from "./content";
import { helpPage, helpTarget } from "./help-page";
import type { RequestHandler } from "./types";

/** Runs a cell and returns its execute_reply content. */
export const executeRequest: RequestHandler<"execute_request"> = async (content, ctx) => {
  const code = content.code;
  const { silent, storeHistory, allowStdin, userExpressions } = options(content);
  const k = ctx.kernel;
  const header = ctx.message.header;
  if (storeHistory) k.executionCount++;
  const count = k.executionCount;
  if (!silent) ctx.publish("execute_input", { code, execution_count: count });
  if (storeHistory) k.history.record(header.msg_id, count, code);
  if (silent) k.silentRequests.add(header.msg_id);
  const help = helpTarget(code);
  if (help) return helpPage(help, ctx, count);
  k.stdin.register(header.msg_id, ctx.identities);
  try {
    const reply = await k.executor.request({
      type: "execute",
      id: header.msg_id,
      parent: header,
      code,
      executionCount: count,
      silent,
      storeHistory,
      userExpressions,
      allowStdin,
    });
    if (reply.status === "error") {
      const err = errorReply(reply);
      // The cell must show why it failed even when the executor only put it in the reply (a crash, say).
      if (!k.erroredRequests.has(header.msg_id)) {
        ctx.publish("error", { ename: err.ename, evalue: err.evalue, traceback: err.traceback });
      }
      return { ...err, execution_count: num(reply.execution_count, count) };
    }
    if (reply.status === "aborted") return { status: "aborted", execution_count: count };
    return {
      ...reply,
      status: "ok",
      execution_count: num(reply.execution_count, count),
      user_expressions: obj(reply.user_expressions),
      payload: Array.isArray(reply.payload) ? reply.payload : [],
    };
  } finally {
    k.stdin.unregister(header.msg_id);
    k.silentRequests.delete(header.msg_id);
    k.erroredRequests.delete(header.msg_id);
  }
};

function options(content: ExecuteRequestContent): {
  silent: boolean;
  storeHistory: boolean;
  allowStdin: boolean;
  userExpressions: Record<string, string>;
} {
  const silent = content.silent === true;
  const userExpressions: Record<string, string> = {};
  for (const [name, expr] of Object.entries(obj(content.user_expressions))) {
    if (typeof expr === "string") userExpressions[name] = expr;
  }
  return {
    silent,
    // silent forces store_history off (the spec says so).
    storeHistory: !silent && content.store_history !== false,
    allowStdin: content.allow_stdin !== false,
    userExpressions,
  };
}
