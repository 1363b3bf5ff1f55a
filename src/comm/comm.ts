/**
 * Comms (Jupyter's custom messages): a channel between kernel-side objects and
 * frontend code, opened from either side, carrying JSON plus binary buffers.
 * The executor owns the one registry of targets and open comms; the kernel
 * process only routes comm_* messages to it.
 */
import { randomUUID } from "node:crypto";
import { currentCell, type CellContext } from "../runtime/cell-context";
import { CommError } from "./errors";

/** JSON data of a comm message. */
export type CommData = Record<string, unknown>;

/** A comm message as handlers see it. */
export interface CommMessage {
  /** The `data` field of the content. */
  data: CommData;
  /** Binary buffers sent along (Jupyter's extra frames). */
  buffers: Uint8Array[];
  /** The message's metadata. */
  metadata: Record<string, unknown>;
  /** msg_id of the frontend's message (outputs of the handler have it as parent). */
  msgId: string;
}

/** Options of `send`, `close` and `openComm`. */
export interface CommSendOptions {
  /** Binary buffers, sent as extra frames (the frontend sees them as DataViews). */
  buffers?: ArrayBufferView[];
  /** Message metadata (widgets put their protocol version here). */
  metadata?: Record<string, unknown>;
}

/** Handles a message (or the closing) of a comm; a returned promise is awaited before the kernel goes idle. */
export type CommListener = (message: CommMessage) => void | Promise<void>;

/** Called when the frontend opens a comm to a target registered in the kernel. */
export type CommTargetHandler = (comm: Comm, message: CommMessage) => void | Promise<void>;

/** One end of a comm, in the kernel. */
export class Comm {
  readonly #owner: CellContext | undefined;
  readonly #messageListeners = new Set<CommListener>();
  readonly #closeListeners = new Set<CommListener>();
  #closed = false;

  /** Use `openComm` (or a target handler's argument); this constructor does not announce the comm. */
  constructor(
    readonly commId: string,
    readonly targetName: string,
    owner: CellContext | undefined,
  ) {
    this.#owner = owner;
  }

  /** True once either side closed the comm. */
  get closed(): boolean {
    return this.#closed;
  }

  /** Sends `data` (and buffers) to the frontend end of this comm. */
  send(data: CommData = {}, options: CommSendOptions = {}): void {
    if (this.#closed)
      throw new CommError(`Comm ${this.commId} (${this.targetName}) is closed; open a new comm to send more.`);
    this.emit("comm_msg", { comm_id: this.commId, data: checkData(data) }, options);
  }

  /** Closes the comm on both sides (the frontend gets comm_close with `data`); closing twice does nothing. */
  close(data: CommData = {}, options: CommSendOptions = {}): void {
    if (this.#closed) return;
    this.#closed = true;
    registry.forget(this);
    this.emit("comm_close", { comm_id: this.commId, data: checkData(data) }, options);
  }

  /** Calls `fn` for every message from the frontend; returns a function that stops it. */
  onMessage(fn: CommListener): () => void {
    this.#messageListeners.add(fn);
    return () => this.#messageListeners.delete(fn);
  }

  /** Calls `fn` when the frontend closes the comm; returns a function that stops it. */
  onClose(fn: CommListener): () => void {
    this.#closeListeners.add(fn);
    return () => this.#closeListeners.delete(fn);
  }

  /** Sends a comm message under the running cell, or the cell that opened the comm when none runs. */
  emit(msgType: "comm_open" | "comm_msg" | "comm_close", content: CommData, options: CommSendOptions = {}): void {
    const cell = currentCell() ?? this.#owner;
    const sink = cell?.sink;
    if (!sink?.comm) {
      throw new CommError(
        "Comms need a Jupyter frontend: run this in a Spindle notebook cell, not in a plain Node script.",
      );
    }
    sink.comm(msgType, content, options.metadata ?? {}, (options.buffers ?? []).map(toBytes));
  }

  /** Runs the listeners of a message from the frontend (used by the registry). */
  async deliver(message: CommMessage): Promise<void> {
    for (const fn of [...this.#messageListeners]) await fn(message);
  }

  /** Marks the comm closed by the frontend and runs the close listeners (used by the registry). */
  async closedByFrontend(message: CommMessage): Promise<void> {
    this.#closed = true;
    for (const fn of [...this.#closeListeners]) await fn(message);
  }
}

/** Opens a comm to a frontend target (comm_open); the frontend end is created by the code registered there. */
export function openComm(
  targetName: string,
  data: CommData = {},
  options: CommSendOptions & { commId?: string } = {},
): Comm {
  if (typeof targetName !== "string" || targetName === "")
    throw new CommError('openComm needs a target name, e.g. "jupyter.widget".');
  const comm = new Comm(options.commId ?? randomUUID().replace(/-/g, ""), targetName, currentCell());
  comm.emit("comm_open", { comm_id: comm.commId, target_name: targetName, data: checkData(data) }, options);
  registry.add(comm);
  return comm;
}

/** Lets the frontend open comms to `targetName`; `handler` gets each new comm and the opening message. */
export function registerTarget(targetName: string, handler: CommTargetHandler): void {
  if (typeof handler !== "function")
    throw new CommError(`registerTarget("${targetName}", handler): the handler must be a function.`);
  registry.targets.set(targetName, handler);
}

/** Stops accepting new comms to `targetName` (open ones stay open). */
export function unregisterTarget(targetName: string): void {
  registry.targets.delete(targetName);
}

/** The open comms, by id (what comm_info_request reports). */
export function openComms(targetName?: string): Map<string, Comm> {
  return new Map([...registry.comms].filter(([, c]) => targetName === undefined || c.targetName === targetName));
}

/** The executor's comm registry: targets and open comms. */
class CommRegistry {
  readonly comms = new Map<string, Comm>();
  readonly targets = new Map<string, CommTargetHandler>();

  add(comm: Comm): void {
    this.comms.set(comm.commId, comm);
  }

  forget(comm: Comm): void {
    this.comms.delete(comm.commId);
  }
}

const registry = new CommRegistry();

/**
 * Handles a comm message from the frontend (the executor calls it inside the
 * message's own context, so handler output has the message as parent). Returns
 * a line for the kernel log when the message could not be delivered.
 */
export async function receiveCommMessage(
  msgType: "comm_open" | "comm_msg" | "comm_close",
  content: CommData,
  metadata: Record<string, unknown>,
  buffers: Uint8Array[],
  msgId: string,
): Promise<string | undefined> {
  const commId = String(content.comm_id);
  const message: CommMessage = { data: isObject(content.data) ? content.data : {}, buffers, metadata, msgId };
  if (msgType === "comm_open") {
    const target = String(content.target_name);
    const handler = registry.targets.get(target);
    const comm = new Comm(commId, target, currentCell());
    if (!handler) {
      comm.emit("comm_close", {
        comm_id: commId,
        data: { error: `No comm target named ${JSON.stringify(target)} in this kernel.` },
      });
      return `comm_open to unknown target ${JSON.stringify(target)}: closed`;
    }
    registry.add(comm);
    await handler(comm, message);
    return undefined;
  }
  const comm = registry.comms.get(commId);
  if (!comm) return `${msgType} for unknown comm ${commId}: ignored`;
  if (msgType === "comm_close") {
    registry.forget(comm);
    await comm.closedByFrontend(message);
  } else {
    await comm.deliver(message);
  }
  return undefined;
}

function checkData(data: unknown): CommData {
  if (!isObject(data)) {
    throw new CommError(
      `Comm data must be a plain object (JSON), got ${Array.isArray(data) ? "an array" : typeof data}.`,
    );
  }
  return data;
}

function isObject(value: unknown): value is CommData {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function toBytes(view: ArrayBufferView): Uint8Array {
  return view instanceof Uint8Array ? view : new Uint8Array(view.buffer, view.byteOffset, view.byteLength);
}
