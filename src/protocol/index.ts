/** The Jupyter wire protocol: connection files, frames, signing, messages. */
export * from "./connection-file";
export * from "./errors";
export * from "./frames";
export * from "./message";
export * from "./msg-types";
export * from "./replay-guard";
export * from "./signer";
export * from "./wire";
