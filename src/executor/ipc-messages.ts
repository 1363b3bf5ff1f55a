/**
 * The messages the kernel process and the executor process exchange over the
 * Node IPC channel (advanced serialization). Both sides import only this file
 * from each other. Interrupts do not travel here: they go through a pipe read
 * by the executor's watchdog thread, which still answers while user code spins.
 */
import type { MessageHeader } from "../protocol/header";
import type { DisplayContent } from "../runtime/cell-context";

/** Content of an execute_reply, success or error (the spec's fields). */
export type ExecuteReplyContent =
  | { status: "ok"; execution_count: number; user_expressions: Record<string, unknown>; payload: unknown[] }
  | (ErrorReplyFields & {
      status: "error";
      execution_count: number;
      user_expressions?: Record<string, unknown>;
      payload?: unknown[];
    })
  | { status: "aborted"; execution_count?: number };

/** ename / evalue / traceback, as in error replies and `error` iopub messages. */
export type ErrorReplyFields = {
  ename: string;
  evalue: string;
  traceback: string[];
};

/** An error reply to any request (the request itself failed). */
export type ErrorReply = ErrorReplyFields & { status: "error" };

/** complete_reply content. */
export type CompleteReply = {
  status: "ok";
  matches: string[];
  cursor_start: number;
  cursor_end: number;
  metadata: Record<string, unknown>;
};

/** inspect_reply content. */
export type InspectReply = {
  status: "ok";
  found: boolean;
  data: Record<string, unknown>;
  metadata: Record<string, unknown>;
};

/** is_complete_reply content. */
export type IsCompleteReply = { status: "complete" | "invalid" | "unknown" } | { status: "incomplete"; indent: string };

/** The reply content to each request type that has a reply. */
export interface ExecutorReplies {
  execute: ExecuteReplyContent;
  complete: CompleteReply | ErrorReply;
  inspect: InspectReply | ErrorReply;
  is_complete: IsCompleteReply | ErrorReply;
  shutdown: { status: "ok"; restart: boolean } | ErrorReply;
  comm: CommReply | ErrorReply;
  comm_info: CommInfoReply | ErrorReply;
}

/** What the executor answers to a comm message once its handlers ran (`note` when one failed). */
export type CommReply = { status: "ok"; note?: string };

/** comm_info_reply content: the open comms by id. */
export type CommInfoReply = { status: "ok"; comms: Record<string, { target_name: string }> };

/** A request the executor answers with a reply. */
export type RequestWithReply = Extract<KernelToExecutor, { type: keyof ExecutorReplies }>;

/** The reply content to request `M`. */
export type ReplyTo<M extends RequestWithReply> = ExecutorReplies[M["type"]];

/** Any reply content. */
export type AnyReply = ExecutorReplies[keyof ExecutorReplies];

/** Requests the kernel sends to the executor. `id` is the Jupyter request's msg_id. */
export type KernelToExecutor =
  | {
      type: "execute";
      id: string;
      parent: MessageHeader;
      code: string;
      executionCount: number;
      silent: boolean;
      storeHistory: boolean;
      userExpressions: Record<string, string>;
      allowStdin: boolean;
    }
  | { type: "complete"; id: string; code: string; cursorPos: number }
  | { type: "inspect"; id: string; code: string; cursorPos: number; detailLevel: number }
  | { type: "is_complete"; id: string; code: string }
  | { type: "input_reply"; id: string; value: string }
  /** A comm message from the frontend (comm_open, comm_msg, comm_close): run its handlers. */
  | {
      type: "comm";
      id: string;
      parent: MessageHeader;
      msgType: CommMsgType;
      content: Record<string, unknown>;
      metadata: Record<string, unknown>;
      buffers: Uint8Array[];
    }
  /** comm_info_request: list the open comms (of one target when `targetName` is set). */
  | { type: "comm_info"; id: string; targetName?: string }
  | { type: "shutdown"; id: string; restart: boolean };

/** An output of a cell, published by the kernel on iopub with `parent` as parent header. */
export type ExecutorOutput =
  | { msgType: "stream"; content: { name: "stdout" | "stderr"; text: string } }
  | { msgType: "display_data" | "update_display_data"; content: DisplayContent }
  | { msgType: "execute_result"; content: DisplayContent & { execution_count: number } }
  | { msgType: "error"; content: ErrorReplyFields }
  | { msgType: "clear_output"; content: { wait: boolean } }
  | {
      msgType: CommMsgType;
      content: Record<string, unknown>;
      metadata?: Record<string, unknown>;
      buffers?: Uint8Array[];
    };

/** The three comm message types (both directions). */
export type CommMsgType = "comm_open" | "comm_msg" | "comm_close";

/** Messages the executor sends to the kernel. */
export type ExecutorToKernel =
  /** Sent once, when the executor can take requests (the TypeScript service is warm). */
  | { type: "ready"; pid: number }
  /** An output to publish on iopub under `parent`. */
  | ({ type: "output"; parent: MessageHeader } & ExecutorOutput)
  /** The reply content for request `id` (execute_reply, complete_reply, …). */
  | {
      type: "reply";
      id: string;
      content: AnyReply;
      /** Outputs that go out just before the reply (a cell's result rides with its reply: one message, not two). */
      outputs?: Extract<ExecutorToKernel, { type: "output" }>[];
    }
  /** Ask the frontend for input on the stdin channel; answered with `input_reply` carrying the same `id`. */
  | { type: "input_request"; id: string; parent: MessageHeader; prompt: string; password: boolean };
