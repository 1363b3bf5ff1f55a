/**
 * Encoding and decoding of signed Jupyter messages: frames ⇄ `RoutedMessage`.
 * Decoding checks, in order: size, delimiter and frame count, signature,
 * replay, JSON, header shape. Each failure is a `ProtocolError` with its own code.
 */
import { ProtocolError } from "./errors";
import { frameBytes, joinFrames, splitFrames } from "./frames";
import type { JupyterMessage, RoutedMessage } from "./msg-types";
import type { ReplayGuard } from "./replay-guard";
import type { Signer } from "./signer";
import type { MessageHeader } from "./header";

/** What `decodeMessage` checks against. */
export interface DecodeOptions {
  signer: Signer;
  /** Rejects a signature seen before (only when signing is on). */
  replay?: ReplayGuard;
  /** Largest accepted message in bytes (all frames together). */
  maxBytes?: number;
}

/** Encodes `message` for sending to `identities` (empty for PUB). */
export function encodeMessage(
  message: JupyterMessage<unknown>,
  identities: readonly Buffer[],
  signer: Signer,
): Buffer[] {
  const parts = [
    Buffer.from(JSON.stringify(message.header)),
    Buffer.from(JSON.stringify(message.parent_header)),
    Buffer.from(JSON.stringify(message.metadata)),
    Buffer.from(JSON.stringify(message.content)),
  ];
  return joinFrames(identities, signer.sign(parts), parts, message.buffers);
}

/** Decodes received frames; throws `ProtocolError` saying why a message is refused. */
export function decodeMessage(frames: readonly Buffer[], options: DecodeOptions): RoutedMessage {
  if (options.maxBytes !== undefined) {
    const size = frameBytes(frames);
    if (size > options.maxBytes) {
      throw new ProtocolError(
        `Message of ${size} bytes exceeds the limit of ${options.maxBytes} bytes (SPINDLE_MAX_MESSAGE_BYTES).`,
        "ERR_SPINDLE_PROTOCOL_TOO_LARGE",
      );
    }
  }
  const split = splitFrames(frames);
  if (options.signer.enabled) {
    if (!options.signer.verify(split.signature, split.parts)) {
      throw new ProtocolError(
        "Invalid message signature; the client must sign with the connection file's key.",
        "ERR_SPINDLE_PROTOCOL_BAD_SIGNATURE",
      );
    }
    if (options.replay && !options.replay.accept(split.signature)) {
      throw new ProtocolError(
        "Replayed message: this signature was already accepted once.",
        "ERR_SPINDLE_PROTOCOL_REPLAYED",
      );
    }
  }
  const [header, parent, metadata, content] = split.parts.map((part, i) => parseJsonObject(part, PART_NAMES[i]!));
  return {
    identities: split.identities,
    message: {
      header: checkHeader(header!),
      parent_header: parent as JupyterMessage["parent_header"],
      metadata: metadata!,
      content: content!,
      buffers: split.buffers,
    },
  };
}

const PART_NAMES = ["header", "parent_header", "metadata", "content"];

function parseJsonObject(part: Buffer, name: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(part.toString("utf8"));
  } catch (cause) {
    throw new ProtocolError(
      `Invalid JSON in ${name}: ${(cause as Error).message}.`,
      "ERR_SPINDLE_PROTOCOL_INVALID_JSON",
      { cause },
    );
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new ProtocolError(`The ${name} frame must be a JSON object.`, "ERR_SPINDLE_PROTOCOL_INVALID_JSON");
  }
  return value as Record<string, unknown>;
}

function checkHeader(header: Record<string, unknown>): MessageHeader {
  for (const key of ["msg_id", "msg_type"] as const) {
    if (typeof header[key] !== "string" || header[key] === "") {
      throw new ProtocolError(`The header has no string "${key}".`, "ERR_SPINDLE_PROTOCOL_BAD_HEADER");
    }
  }
  // Older clients may omit these; keep the message but give the fields their types.
  return {
    ...header,
    msg_id: header.msg_id as string,
    msg_type: header.msg_type as string,
    session: typeof header.session === "string" ? header.session : "",
    username: typeof header.username === "string" ? header.username : "",
    date: typeof header.date === "string" ? header.date : "",
    version: typeof header.version === "string" ? header.version : "",
  };
}
