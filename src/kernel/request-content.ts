/**
 * Request content as it arrives is whatever the client sent. The dispatcher
 * checks it here, once, against the spec's shape for its msg_type, so every
 * handler receives typed content. A required field of the wrong type is a
 * TypeError naming it (sent back as an error reply); optional fields of the
 * wrong type are treated as absent, as ipykernel does.
 */
import type { HistoryRequestContent, RequestContentMap, RequestType } from "../protocol";
import { obj, requireNumber, requireString } from "./handlers/content";

type Checker<T extends RequestType> = (content: Record<string, unknown>) => RequestContentMap[T];

const optBool = (value: unknown): boolean | undefined => (typeof value === "boolean" ? value : undefined);
const optNum = (value: unknown): number | undefined =>
  typeof value === "number" && Number.isFinite(value) ? value : undefined;
const optStr = (value: unknown): string | undefined => (typeof value === "string" ? value : undefined);
const HISTORY_ACCESS: readonly HistoryRequestContent["hist_access_type"][] = ["range", "tail", "search"];

function historyAccess(value: unknown): HistoryRequestContent["hist_access_type"] {
  const found = HISTORY_ACCESS.find((a) => a === value);
  if (found === undefined)
    throw new TypeError(`history_request: "hist_access_type" must be "range", "tail" or "search".`);
  return found;
}

const checkers: { [T in RequestType]: Checker<T> } = {
  execute_request: (c) => {
    const userExpressions: Record<string, string> = {};
    for (const [name, expr] of Object.entries(obj(c.user_expressions)))
      if (typeof expr === "string") userExpressions[name] = expr;
    return {
      code: requireString(c, "code", "execute_request"),
      silent: optBool(c.silent),
      store_history: optBool(c.store_history),
      user_expressions: userExpressions,
      allow_stdin: optBool(c.allow_stdin),
      stop_on_error: optBool(c.stop_on_error),
    };
  },
  kernel_info_request: () => ({}),
  complete_request: (c) => {
    const code = requireString(c, "code", "complete_request");
    return { code, cursor_pos: requireNumber(c, "cursor_pos", "complete_request", [...code].length) };
  },
  inspect_request: (c) => {
    const code = requireString(c, "code", "inspect_request");
    return {
      code,
      cursor_pos: requireNumber(c, "cursor_pos", "inspect_request", [...code].length),
      detail_level: c.detail_level === 1 ? 1 : 0,
    };
  },
  is_complete_request: (c) => ({ code: requireString(c, "code", "is_complete_request") }),
  history_request: (c) => ({
    output: optBool(c.output),
    raw: optBool(c.raw),
    hist_access_type: historyAccess(c.hist_access_type),
    session: optNum(c.session),
    start: optNum(c.start),
    stop: optNum(c.stop),
    n: optNum(c.n),
    pattern: optStr(c.pattern),
    unique: optBool(c.unique),
  }),
  comm_info_request: (c) => ({ target_name: optStr(c.target_name) }),
  shutdown_request: (c) => ({ restart: optBool(c.restart) }),
  interrupt_request: () => ({}),
};

/** The content of a `msgType` request, checked and typed; throws a TypeError naming a required field that is wrong. */
export function checkRequestContent<T extends RequestType>(msgType: T, content: unknown): RequestContentMap[T] {
  return (checkers[msgType] as Checker<T>)(obj(content));
}
