/**
 * Errors raised while reading the connection file or decoding wire messages.
 * The kernel logs and drops a message that fails to decode; it never crashes on one.
 */
import { SpindleError } from "../errors";

/** Stable codes of protocol failures. */
export type ProtocolErrorCode =
  | "ERR_SPINDLE_PROTOCOL_NO_DELIMITER"
  | "ERR_SPINDLE_PROTOCOL_TRUNCATED"
  | "ERR_SPINDLE_PROTOCOL_BAD_SIGNATURE"
  | "ERR_SPINDLE_PROTOCOL_REPLAYED"
  | "ERR_SPINDLE_PROTOCOL_INVALID_JSON"
  | "ERR_SPINDLE_PROTOCOL_BAD_HEADER"
  | "ERR_SPINDLE_PROTOCOL_TOO_LARGE"
  | "ERR_SPINDLE_PROTOCOL_UNSUPPORTED_SCHEME";

/** A wire message that cannot be accepted (bad frames, signature, JSON or size). */
export class ProtocolError extends SpindleError<ProtocolErrorCode> {}

/** A connection file that is missing, unreadable or incomplete. */
export class ConnectionFileError extends SpindleError<"ERR_SPINDLE_CONNECTION_FILE"> {
  /** Creates a connection-file error whose message names the file and the problem. */
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, "ERR_SPINDLE_CONNECTION_FILE", options);
  }
}
