/**
 * The one narrow interface through which the kernel reaches the executor
 * process (the lead's `ExecutorHost` implements it). The kernel never compiles
 * or runs code itself.
 */
import type { ExecutorOutput, ReplyTo, RequestWithReply } from "../executor/ipc-messages";
import type { MessageHeader } from "../protocol";

/** What the kernel asks of an executor. */
export interface ExecutorLink {
  /** Resolves when the executor can take requests (requests sent earlier wait for it). */
  readonly ready: Promise<void>;
  /** Sends a request; resolves with the reply content (an error reply if the executor died). */
  request<M extends RequestWithReply>(msg: M): Promise<ReplyTo<M>>;
  /** Answers an input request the executor made through `onInputRequest`. */
  inputReply(id: string, value: string): void;
  /** Interrupts the running cell; returns at once. */
  interrupt(): void;
  /** Kills the executor and starts a fresh one (all state lost). */
  restart(): Promise<void>;
  /** Stops the executor and everything it started. */
  shutdown(): Promise<void>;
}

/** An input request from a running cell. */
export interface InputRequest {
  id: string;
  parent: MessageHeader;
  prompt: string;
  password: boolean;
}

/** Callbacks the kernel gives the executor. */
export interface ExecutorCallbacks {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** An output of the cell whose request header is `parent`. */
  onOutput(parent: MessageHeader, output: ExecutorOutput): void;
  /** A cell asks for a line of input. */
  onInputRequest(req: InputRequest): void;
  /** A line for the kernel log. */
  log(message: string): void;
}

/** Starts an executor (spawning at once; it warms up in the background). */
export type ExecutorFactory = (callbacks: ExecutorCallbacks) => ExecutorLink;
