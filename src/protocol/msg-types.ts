/**
 * Jupyter messaging protocol 5.3: the message envelope and the content of every
 * message Spindle sends or handles. Wire names keep Jupyter's snake_case.
 */
import type { MessageHeader } from "./header";

export type { MessageHeader } from "./header";

/** The protocol version Spindle speaks (jupyter_kernel_test 0.4.5 needs > 5.1). */
export const PROTOCOL_VERSION = "5.3";

/** A decoded Jupyter message. `parent_header` is `{}` when there is no parent. */
export interface JupyterMessage<C = Record<string, unknown>> {
  header: MessageHeader;
  parent_header: MessageHeader | Record<string, never>;
  metadata: Record<string, unknown>;
  content: C;
  buffers: Buffer[];
}

/** A message with the ZeroMQ routing identities it arrived with (or is sent to). */
export interface RoutedMessage<C = Record<string, unknown>> {
  identities: Buffer[];
  message: JupyterMessage<C>;
}

/** `status` of every reply. */
/** `"aborted"` is ipykernel's spelling and what clients check; `"abort"` in parts of the spec text is a typo. */
export type ReplyStatus = "ok" | "error" | "aborted";

/** Fields of an error reply and of an `error` iopub message. */
export interface ErrorContent {
  ename: string;
  evalue: string;
  traceback: string[];
}

/** An error reply's content. */
export type ErrorReplyContent = ErrorContent & { status: "error" };

// ---- shell / control requests ---------------------------------------------

/** execute_request content. */
export interface ExecuteRequestContent {
  code: string;
  silent?: boolean;
  store_history?: boolean;
  user_expressions?: Record<string, string>;
  allow_stdin?: boolean;
  stop_on_error?: boolean;
}

/** complete_request content. */
export interface CompleteRequestContent {
  code: string;
  cursor_pos: number;
}

/** inspect_request content. */
export interface InspectRequestContent {
  code: string;
  cursor_pos: number;
  detail_level?: 0 | 1;
}

/** is_complete_request content. */
export interface IsCompleteRequestContent {
  code: string;
}

/** history_request content. */
export interface HistoryRequestContent {
  output?: boolean;
  raw?: boolean;
  hist_access_type: "range" | "tail" | "search";
  session?: number;
  start?: number;
  stop?: number;
  n?: number;
  pattern?: string;
  unique?: boolean;
}

/** comm_info_request content. */
export interface CommInfoRequestContent {
  target_name?: string;
}

/** comm_open content (a request from the frontend, or sent by the kernel). */
export interface CommOpenContent {
  comm_id: string;
  target_name: string;
  data: Record<string, unknown>;
  target_module?: string;
}

/** comm_msg content. */
export interface CommMsgContent {
  comm_id: string;
  data: Record<string, unknown>;
}

/** comm_close content. */
export interface CommCloseContent {
  comm_id: string;
  data: Record<string, unknown>;
}

/** shutdown_request / shutdown_reply content. */
export interface ShutdownRequestContent {
  restart?: boolean;
}

// ---- replies --------------------------------------------------------------

/** language_info of kernel_info_reply. */
export interface LanguageInfo {
  name: string;
  version: string;
  mimetype: string;
  file_extension: string;
  codemirror_mode?: string | Record<string, unknown>;
  pygments_lexer?: string;
  nbconvert_exporter?: string;
}

/** kernel_info_reply content. */
export interface KernelInfoReplyContent {
  status: "ok";
  protocol_version: string;
  implementation: string;
  implementation_version: string;
  language_info: LanguageInfo;
  banner: string;
  help_links: { text: string; url: string }[];
  debugger: boolean;
}

/** complete_reply content. */
export interface CompleteReplyContent {
  status: "ok";
  matches: string[];
  cursor_start: number;
  cursor_end: number;
  metadata: Record<string, unknown>;
}

/** inspect_reply content. */
export interface InspectReplyContent {
  status: "ok";
  found: boolean;
  data: Record<string, unknown>;
  metadata: Record<string, unknown>;
}

/** is_complete_reply content. */
export interface IsCompleteReplyContent {
  status: "complete" | "incomplete" | "invalid" | "unknown";
  indent?: string;
}

/** One history entry: [session, line, input] or [session, line, [input, output]]. */
export type HistoryEntry = [number, number, string] | [number, number, [string, string | null]];

/** history_reply content. */
export interface HistoryReplyContent {
  status: "ok";
  history: HistoryEntry[];
}

/** comm_info_reply content. */
export interface CommInfoReplyContent {
  status: "ok";
  comms: Record<string, { target_name: string }>;
}

/** shutdown_reply content. */
export interface ShutdownReplyContent {
  status: "ok";
  restart: boolean;
}

/** interrupt_reply content. */
export interface InterruptReplyContent {
  status: "ok";
}

/** An execute reply that was skipped because an earlier cell failed (stop_on_error). */
export interface AbortReplyContent {
  status: "aborted";
}

// ---- iopub and stdin ------------------------------------------------------

/** status content. */
export interface StatusContent {
  execution_state: "busy" | "idle" | "starting";
}

/** execute_input content. */
export interface ExecuteInputContent {
  code: string;
  execution_count: number;
}

/** stream content. */
export interface StreamContent {
  name: "stdout" | "stderr";
  text: string;
}

/** input_request content (kernel → frontend, on stdin). */
export interface InputRequestContent {
  prompt: string;
  password: boolean;
}

/** input_reply content (frontend → kernel, on stdin). */
export interface InputReplyContent {
  value: string;
  status?: ReplyStatus;
}

// ---- request → reply ------------------------------------------------------

/** Request content by msg_type, for every request the kernel handles on shell or control. */
export interface RequestContentMap {
  execute_request: ExecuteRequestContent;
  kernel_info_request: Record<string, never>;
  complete_request: CompleteRequestContent;
  inspect_request: InspectRequestContent;
  is_complete_request: IsCompleteRequestContent;
  history_request: HistoryRequestContent;
  comm_info_request: CommInfoRequestContent;
  shutdown_request: ShutdownRequestContent;
  interrupt_request: Record<string, never>;
}

/** Reply content by request msg_type (error replies are allowed for all). */
export interface ReplyContentMap {
  execute_request: Record<string, unknown>;
  kernel_info_request: KernelInfoReplyContent;
  complete_request: CompleteReplyContent;
  inspect_request: InspectReplyContent;
  is_complete_request: IsCompleteReplyContent;
  history_request: HistoryReplyContent;
  comm_info_request: CommInfoReplyContent;
  shutdown_request: ShutdownReplyContent;
  interrupt_request: InterruptReplyContent;
}

/** The msg_type of every request the kernel answers. */
export type RequestType = keyof RequestContentMap;

/** Messages on shell that need no reply (comms). */
export type CommMessageType = "comm_open" | "comm_msg" | "comm_close";

/** The reply msg_type of a request type: `execute_request` → `execute_reply`. */
export function replyTypeOf(requestType: string): string | undefined {
  return requestType.endsWith("_request") ? requestType.slice(0, -"_request".length) + "_reply" : undefined;
}
