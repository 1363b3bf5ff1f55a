/**
 * The handler interface: one function per request type, typed content in,
 * reply content out. Handlers never touch sockets, status or headers; the
 * dispatcher does.
 */
import type {
  CommCloseContent,
  CommMessageType,
  CommMsgContent,
  CommOpenContent,
  ErrorReplyContent,
  JupyterMessage,
  KernelInfoReplyContent,
  ReplyContentMap,
  RequestContentMap,
  RequestType,
} from "../../protocol";
import type { ExecutorLink } from "../executor-link";
import type { History } from "../history";
import type { StdinChannel } from "../stdin-channel";

/** Kernel state and actions the handlers may use. */
export interface KernelServices {
  /** The current executor. */
  readonly executor: ExecutorLink;
  readonly history: History;
  readonly stdin: StdinChannel;
  /** kernel_info_reply content, built once at start. */
  readonly kernelInfo: KernelInfoReplyContent;
  /** The execution counter (the count of the last stored execution). */
  executionCount: number;
  /** msg_ids of silent executes now running (their execute_result is not published). */
  readonly silentRequests: Set<string>;
  /** msg_ids of executes for which an `error` output was published. */
  readonly erroredRequests: Set<string>;
  /** Interrupts the running cell. */
  interrupt(): void;
  /** Shuts the kernel down (the process exits; a manager restarting it starts a fresh one). */
  shutdown(restart: boolean): Promise<void>;
}

/** What a handler knows about the request it serves. */
export interface RequestContext {
  readonly message: JupyterMessage;
  readonly identities: Buffer[];
  readonly channel: "shell" | "control";
  readonly kernel: KernelServices;
  /** Publishes on iopub with this request as parent. */
  publish(msgType: string, content: unknown): void;
  /** Runs `fn` once the reply and the idle status have been sent. */
  afterReply(fn: () => void | Promise<void>): void;
}

/** A request handler: content in, reply content out (or an error reply). */
export type RequestHandler<T extends RequestType> = (
  content: RequestContentMap[T],
  ctx: RequestContext,
) => Promise<ReplyContentMap[T] | ErrorReplyContent>;

/** Every request type has a handler: a missing one is a compile error. */
export type HandlerTable = { [T in RequestType]: RequestHandler<T> };

/** Content of comm messages, by type. */
export interface CommContentMap {
  comm_open: CommOpenContent;
  comm_msg: CommMsgContent;
  comm_close: CommCloseContent;
}

/** A handler of a message that gets no reply (comms). */
export type NoticeHandler<T extends CommMessageType> = (
  content: CommContentMap[T],
  ctx: RequestContext,
) => Promise<void>;

/** Every comm message type has a handler. */
export type NoticeTable = { [T in CommMessageType]: NoticeHandler<T> };
