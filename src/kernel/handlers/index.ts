/** The handler tables: one handler per request type, one per comm message type. */
import { commClose, commInfoRequest, commMsg, commOpen } from "./comm";
import { completeRequest } from "./complete";
import { interruptRequest, shutdownRequest } from "./control";
import { executeRequest } from "./execute";
import { historyRequest } from "./history";
import { inspectRequest } from "./inspect";
import { isCompleteRequest } from "./is-complete";
import { kernelInfoRequest } from "./kernel-info";
import type { HandlerTable, NoticeTable } from "./types";

export { buildKernelInfo } from "./kernel-info";
export type { HandlerTable, KernelServices, NoticeTable, RequestContext } from "./types";

/** Requests with replies (shell and control). */
export const requestHandlers: HandlerTable = {
  execute_request: executeRequest,
  kernel_info_request: kernelInfoRequest,
  complete_request: completeRequest,
  inspect_request: inspectRequest,
  is_complete_request: isCompleteRequest,
  history_request: historyRequest,
  comm_info_request: commInfoRequest,
  interrupt_request: interruptRequest,
  shutdown_request: shutdownRequest,
};

/** Messages without replies. */
export const noticeHandlers: NoticeTable = {
  comm_open: commOpen,
  comm_msg: commMsg,
  comm_close: commClose,
};
