/**
 * Shape checks of Jupyter messages (protocol 5.3), after jupyter_kernel_test's
 * msgspec_v5: every message the test client receives goes through
 * `validateMessage`, which throws an AssertionError naming the bad field.
 */
import assert from "node:assert/strict";
import type { JupyterMessage } from "../../src/protocol";

type Check = (value: unknown) => boolean;

const isString: Check = (v) => typeof v === "string";
const isNumber: Check = (v) => typeof v === "number" && Number.isFinite(v);
const isBool: Check = (v) => typeof v === "boolean";
const isObject: Check = (v) => typeof v === "object" && v !== null && !Array.isArray(v);
const isStringArray: Check = (v) => Array.isArray(v) && v.every(isString);
const oneOf =
  (...values: unknown[]): Check =>
  (v) =>
    values.includes(v);
const optional =
  (check: Check): Check =>
  (v) =>
    v === undefined || check(v);
const isMimeBundle: Check = (v) =>
  isObject(v) && Object.keys(v as object).every((k) => /^[\w\-+.]+\/[\w\-+.]+$/.test(k));

/** Required fields (and their checks) of the content of each msg_type, for status "ok" replies. */
const CONTENT: Record<string, Record<string, Check>> = {
  execute_reply: {
    status: oneOf("ok"),
    execution_count: isNumber,
    payload: optional(Array.isArray),
    user_expressions: optional(isObject),
  },
  inspect_reply: { status: oneOf("ok"), found: isBool, data: isMimeBundle, metadata: isObject },
  complete_reply: {
    status: oneOf("ok"),
    matches: isStringArray,
    cursor_start: isNumber,
    cursor_end: isNumber,
    metadata: isObject,
  },
  history_reply: {
    status: oneOf("ok"),
    history: (v) => Array.isArray(v) && v.every((h) => Array.isArray(h) && h.length === 3),
  },
  is_complete_reply: { status: oneOf("complete", "incomplete", "invalid", "unknown"), indent: optional(isString) },
  comm_info_reply: { status: oneOf("ok"), comms: isObject },
  kernel_info_reply: {
    status: oneOf("ok"),
    protocol_version: isString,
    implementation: isString,
    language_info: isObject,
    banner: isString,
    implementation_version: optional(isString),
    debugger: optional(isBool),
    help_links: optional(
      (v) =>
        Array.isArray(v) &&
        v.every((l) => isObject(l) && isString((l as { text: unknown }).text) && isString((l as { url: unknown }).url)),
    ),
  },
  shutdown_reply: { status: oneOf("ok"), restart: isBool },
  interrupt_reply: { status: oneOf("ok") },
  stream: { name: oneOf("stdout", "stderr"), text: isString },
  display_data: { data: isMimeBundle, metadata: isObject, transient: optional(isObject) },
  update_display_data: { data: isMimeBundle, metadata: isObject, transient: isObject },
  execute_result: { execution_count: isNumber, data: isMimeBundle, metadata: isObject },
  clear_output: { wait: isBool },
  execute_input: { code: isString, execution_count: isNumber },
  error: { ename: isString, evalue: isString, traceback: isStringArray },
  status: { execution_state: oneOf("busy", "idle", "starting") },
  input_request: { prompt: isString, password: isBool },
  comm_open: { comm_id: isString, target_name: isString, data: isObject },
  comm_close: { comm_id: isString, data: isObject },
  comm_msg: { comm_id: isString, data: isObject },
};

const ERROR_REPLY: Record<string, Check> = {
  status: oneOf("error"),
  ename: isString,
  evalue: isString,
  traceback: isStringArray,
};

/** Throws when `msg` is not a well-formed 5.3 message (header, parent, metadata, content by type). */
export function validateMessage(msg: JupyterMessage, expectedType?: string, parentId?: string): void {
  const where = `${msg.header?.msg_type ?? "?"} message`;
  assert.ok(isObject(msg.header), `${where}: header must be an object`);
  for (const key of ["msg_id", "username", "session", "date", "msg_type", "version"]) {
    assert.ok(isString(msg.header[key]), `${where}: header.${key} must be a string`);
  }
  assert.ok(!Number.isNaN(Date.parse(msg.header.date)), `${where}: header.date must be an ISO date`);
  assert.match(msg.header.version, /^5\.\d+$/, `${where}: header.version must be 5.x`);
  assert.ok(isObject(msg.parent_header), `${where}: parent_header must be an object`);
  assert.ok(isObject(msg.metadata), `${where}: metadata must be an object`);
  assert.ok(isObject(msg.content), `${where}: content must be an object`);
  const msgType = msg.header.msg_type;
  if (expectedType !== undefined) assert.equal(msgType, expectedType, "msg_type");
  if (parentId !== undefined)
    assert.equal((msg.parent_header as { msg_id?: string }).msg_id, parentId, `${where}: parent msg_id`);
  const content = msg.content as Record<string, unknown>;
  let fields = CONTENT[msgType];
  if (msgType.endsWith("_reply") && msgType !== "is_complete_reply") {
    if (content.status === "error") fields = ERROR_REPLY;
    else if (content.status === "aborted") fields = { status: oneOf("aborted") };
  }
  if (!fields) return;
  for (const [key, check] of Object.entries(fields)) {
    assert.ok(
      check(content[key]),
      `${where}: content.${key} is invalid: ${JSON.stringify(content[key])?.slice(0, 200)}`,
    );
  }
}
