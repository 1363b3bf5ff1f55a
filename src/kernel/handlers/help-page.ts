/**
 * `name?` as a whole cell (IPython's help syntax, not valid TypeScript): the
 * documentation of `name` from the executor's inspect, returned as a "page"
 * payload that Jupyter frontends show in their pager. Nothing is executed.
 */
import { obj } from "./content";
import type { RequestContext } from "./types";

const HELP = /^\s*([A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)*)\s*(\?\??)\s*$/;

/** The name asked about when `code` is a help request (`Math.max?`, `Math.max??`), else undefined. */
export function helpTarget(code: string): { name: string; detail: 0 | 1 } | undefined {
  const m = HELP.exec(code);
  return m ? { name: m[1]!, detail: m[2] === "??" ? 1 : 0 } : undefined;
}

/** Answers a help request: a page payload, or a note on stdout when nothing is documented. */
export async function helpPage(
  target: { name: string; detail: 0 | 1 },
  ctx: RequestContext,
  count: number,
): Promise<Record<string, unknown>> {
  const reply = await ctx.kernel.executor.request({
    type: "inspect",
    id: ctx.message.header.msg_id,
    code: target.name,
    cursorPos: [...target.name].length,
    detailLevel: target.detail,
  });
  const data = reply.status === "ok" ? obj(reply.data) : {};
  const payload: unknown[] = [];
  if (reply.status === "ok" && reply.found && typeof data["text/plain"] === "string") {
    payload.push({ source: "page", data, start: 0 });
  } else {
    ctx.publish("stream", { name: "stdout", text: `No documentation found for ${target.name}.\n` });
  }
  return { status: "ok", execution_count: count, user_expressions: {}, payload };
}
