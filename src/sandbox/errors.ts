/** Errors of the grading sandbox: what is wrong with a cap or an isolation request, and what to do. */
import { SpindleError } from "../errors";

/** Stable codes of sandbox errors. */
export type SandboxErrorCode = "ERR_SANDBOX_BAD_CAP" | "ERR_SANDBOX_UNAVAILABLE" | "ERR_SANDBOX_BAD_LEVEL";

/** A sandbox that cannot be set up as asked. */
export class SandboxError extends SpindleError {
  declare readonly code: SandboxErrorCode;

  /** Creates a sandbox error; `message` says what to do. */
  constructor(message: string, code: SandboxErrorCode, options?: { cause?: unknown }) {
    super(message, code, options);
  }
}
