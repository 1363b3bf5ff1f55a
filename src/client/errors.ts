/** Errors of the kernel client. */
import { SpindleError } from "../errors";

/** Stable codes of client failures. */
export type ClientErrorCode =
  | "ERR_SPINDLE_CLIENT_TIMEOUT"
  | "ERR_SPINDLE_CLIENT_CLOSED"
  | "ERR_SPINDLE_KERNEL_DIED"
  | "ERR_SPINDLE_KERNEL_START";

/** A request that timed out, a closed client, or a kernel that died or never started. */
export class KernelClientError extends SpindleError<ClientErrorCode> {}
