/**
 * Multipart frames of a Jupyter message:
 * `[identities…, "<IDS|MSG>", signature, header, parent_header, metadata, content, buffers…]`.
 */
import { ProtocolError } from "./errors";

/** The frame separating routing identities from the message. */
export const DELIMITER = Buffer.from("<IDS|MSG>", "latin1");

/** A message split into its frames, before JSON parsing. */
export interface SplitFrames {
  identities: Buffer[];
  signature: string;
  /** header, parent_header, metadata, content — the signed part. */
  parts: [Buffer, Buffer, Buffer, Buffer];
  buffers: Buffer[];
}

/** Splits received frames at the delimiter; throws `ProtocolError` when they are malformed. */
export function splitFrames(frames: readonly Buffer[]): SplitFrames {
  const at = frames.findIndex((f) => f.equals(DELIMITER));
  if (at < 0) {
    throw new ProtocolError(
      `No <IDS|MSG> delimiter among ${frames.length} frame(s).`,
      "ERR_SPINDLE_PROTOCOL_NO_DELIMITER",
    );
  }
  const rest = frames.length - at - 1;
  if (rest < 5) {
    throw new ProtocolError(
      `Truncated message: ${rest} frame(s) after <IDS|MSG>, need 5 (signature, header, parent_header, metadata, content).`,
      "ERR_SPINDLE_PROTOCOL_TRUNCATED",
    );
  }
  const [sig, header, parent, metadata, content, ...buffers] = frames.slice(at + 1) as Buffer[];
  return {
    identities: frames.slice(0, at) as Buffer[],
    signature: sig!.toString("latin1"),
    parts: [header!, parent!, metadata!, content!],
    buffers,
  };
}

/** Joins identities, signature, the four JSON parts and buffers into frames to send. */
export function joinFrames(
  identities: readonly Buffer[],
  signature: string,
  parts: readonly Buffer[],
  buffers: readonly Buffer[],
): Buffer[] {
  return [...identities, DELIMITER, Buffer.from(signature, "latin1"), ...parts, ...buffers];
}

/** Total byte size of `frames`. */
export function frameBytes(frames: readonly Buffer[]): number {
  let total = 0;
  for (const f of frames) total += f.length;
  return total;
}
