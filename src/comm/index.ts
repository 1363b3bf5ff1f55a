/**
 * `spindle/comm`: Jupyter comms — custom messages between kernel code and
 * frontend code (what widgets are built on). Open a comm to a frontend target
 * or register a target the frontend opens comms to; send JSON with binary
 * buffers; listen for messages and the closing.
 */
export { Comm, openComm, openComms, registerTarget, unregisterTarget } from "./comm";
export type { CommData, CommListener, CommMessage, CommSendOptions, CommTargetHandler } from "./comm";
export { CommError } from "./errors";
