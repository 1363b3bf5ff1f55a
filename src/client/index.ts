/** The kernel client: start a kernel, talk to it over ZeroMQ. */
export { KernelClient, type ExecuteOptions, type ExecuteResult, type MessageListener } from "./client";
export { KernelClientError, type ClientErrorCode } from "./errors";
export { RunningKernel, startKernel, spindleKernelArgv, type KernelExit, type StartKernelOptions } from "./launcher";
export { freePorts } from "./ports";
export type { ClientChannel, RequestChannel } from "./sockets";
export {
  runNotebook,
  type CellReport,
  type CellStatus,
  type NotebookRunResult,
  type RunNotebookOptions,
} from "./run-notebook";
