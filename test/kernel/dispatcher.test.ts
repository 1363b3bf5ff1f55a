import { test } from "node:test";
import assert from "node:assert/strict";
import type { Publisher, Router } from "zeromq";
import { Dispatcher } from "../../src/kernel/dispatcher";
import type { ExecutorLink } from "../../src/kernel/executor-link";
import { buildKernelInfo, noticeHandlers, requestHandlers, type KernelServices } from "../../src/kernel/handlers";
import { History } from "../../src/kernel/history";
import { IopubPublisher } from "../../src/kernel/iopub";
import { createLogger } from "../../src/system/log";
import { SendQueue } from "../../src/protocol/send-queue";
import { StdinChannel } from "../../src/kernel/stdin-channel";
import {
  createSigner,
  decodeMessage,
  MessageFactory,
  type JupyterMessage,
  type RoutedMessage,
} from "../../src/protocol";
import type { KernelToExecutor, ReplyTo, RequestWithReply } from "../../src/executor/ipc-messages";

const signer = createSigner("hmac-sha256", "key");

/** Everything sent on any socket, decoded, in one ordered log. */
function wire() {
  const log: { socket: string; message: JupyterMessage; identities: string[] }[] = [];
  const sock = (name: string) => ({
    async send(frames: Buffer[]) {
      const { identities, message } = decodeMessage(frames, { signer });
      log.push({ socket: name, message, identities: identities.map(String) });
    },
  });
  return { log, sock };
}

/** An executor stand-in at the kernel's one seam: answers from `reply`, records requests. */
function fakeExecutor(
  reply: (msg: KernelToExecutor) => Record<string, unknown>,
): ExecutorLink & { requests: KernelToExecutor[]; interrupts: number } {
  const requests: KernelToExecutor[] = [];
  return {
    requests,
    interrupts: 0,
    ready: Promise.resolve(),
    async request<M extends RequestWithReply>(msg: M): Promise<ReplyTo<M>> {
      requests.push(msg);
      // The fake answers with whatever shape the test needs, including malformed replies.
      return reply(msg) as ReplyTo<M>;
    },
    inputReply() {},
    interrupt() {
      this.interrupts++;
    },
    async restart() {},
    async shutdown() {},
  };
}

function setup(executor: ExecutorLink) {
  const { log, sock } = wire();
  const logLines: string[] = [];
  const logger = createLogger("test", { write: (l) => logLines.push(l) });
  const factory = new MessageFactory("kernel-session", "spindle");
  const iopub = new IopubPublisher(sock("iopub") as unknown as Publisher, factory, signer, logger);
  const replies = {
    shell: new SendQueue(sock("shell"), "shell", logger),
    control: new SendQueue(sock("control"), "control", logger),
  };
  let shutdowns = 0;
  const services: KernelServices = {
    executor,
    history: new History(),
    stdin: new StdinChannel(sock("stdin") as unknown as Router, factory, signer, logger, () => undefined),
    kernelInfo: buildKernelInfo(),
    executionCount: 0,
    silentRequests: new Set(),
    erroredRequests: new Set(),
    interrupt: () => executor.interrupt(),
    shutdown: async () => {
      shutdowns++;
    },
  };
  const dispatcher = new Dispatcher({
    factory,
    signer,
    iopub,
    log: logger,
    replies,
    handlers: requestHandlers,
    notices: noticeHandlers,
    services,
  });
  const client = new MessageFactory("client-session", "user");
  const request = (msgType: string, content: Record<string, unknown>): RoutedMessage => ({
    identities: [Buffer.from("peer-1")],
    message: client.message(msgType, content),
  });
  const settle = async () => {
    await iopub.drained();
    await replies.shell.drained();
    await replies.control.drained();
  };
  return { log, logLines, dispatcher, request, settle, services, shutdowns: () => shutdowns };
}

test("busy → execute_input → reply → idle, every message parented to the request, reply routed to its identity", async () => {
  const exec = fakeExecutor((msg) =>
    msg.type === "execute"
      ? { status: "ok", execution_count: msg.executionCount, user_expressions: {}, payload: [] }
      : {},
  );
  const k = setup(exec);
  const req = k.request("execute_request", { code: "1+1" });
  const reply = await k.dispatcher.handle(req, "shell");
  await k.settle();
  assert.equal(reply?.status, "ok");
  assert.deepEqual(
    k.log.map((e) => `${e.socket}:${e.message.header.msg_type}`),
    ["iopub:status", "iopub:execute_input", "shell:execute_reply", "iopub:status"],
  );
  for (const e of k.log)
    assert.equal((e.message.parent_header as { msg_id: string }).msg_id, req.message.header.msg_id);
  assert.deepEqual(k.log[2]!.identities, ["peer-1"]);
  assert.equal(k.log[2]!.message.header.session, "kernel-session");
  assert.equal((exec.requests[0] as { executionCount: number }).executionCount, 1);
});

test("a handler that throws gets an error reply (logged), still between busy and idle", async () => {
  const exec = fakeExecutor(() => {
    throw new Error("executor link broke");
  });
  const k = setup(exec);
  const reply = await k.dispatcher.handle(k.request("complete_request", { code: "x", cursor_pos: 1 }), "shell");
  await k.settle();
  assert.equal(reply?.status, "error");
  assert.equal(reply?.evalue, "executor link broke");
  assert.deepEqual(
    k.log.map((e) => `${e.socket}:${e.message.header.msg_type}`),
    ["iopub:status", "shell:complete_reply", "iopub:status"],
  );
  assert.match(k.logLines.join(""), /complete_request failed: Error: executor link broke/);
});

test("an invalid request (code not a string) is an error reply, never a crash", async () => {
  const k = setup(fakeExecutor(() => ({ status: "ok" })));
  const reply = await k.dispatcher.handle(k.request("execute_request", { code: 42 }), "shell");
  assert.equal(reply?.status, "error");
  assert.match(String(reply?.evalue), /"code" must be a string/);
});

test("an executor error reply is published as an error output when the executor sent none", async () => {
  const k = setup(
    fakeExecutor(() => ({
      status: "error",
      ename: "ExecutorDied",
      evalue: "state lost",
      traceback: ["ExecutorDied: state lost"],
    })),
  );
  const reply = await k.dispatcher.handle(k.request("execute_request", { code: "process.exit()" }), "shell");
  await k.settle();
  assert.equal(reply?.ename, "ExecutorDied");
  const error = k.log.find((e) => e.message.header.msg_type === "error");
  assert.deepEqual(error?.message.content, {
    ename: "ExecutorDied",
    evalue: "state lost",
    traceback: ["ExecutorDied: state lost"],
  });
});

test("shutdown replies first, then shuts down after idle", async () => {
  const k = setup(fakeExecutor(() => ({})));
  const req = k.request("shutdown_request", { restart: false });
  await k.dispatcher.handle(req, "control");
  await k.settle();
  assert.equal(k.shutdowns(), 1);
  assert.deepEqual(
    k.log.map((e) => `${e.socket}:${e.message.header.msg_type}`),
    ["iopub:status", "iopub:shutdown_reply", "control:shutdown_reply", "iopub:status"],
  );
});

test("interrupt_request interrupts the executor and replies ok", async () => {
  const exec = fakeExecutor(() => ({}));
  const k = setup(exec);
  const reply = await k.dispatcher.handle(k.request("interrupt_request", {}), "control");
  assert.deepEqual(reply, { status: "ok" });
  assert.equal(exec.interrupts, 1);
});

test("abort replies status aborted between busy and idle", async () => {
  const k = setup(fakeExecutor(() => ({})));
  await k.dispatcher.abort(k.request("execute_request", { code: "x" }), "shell");
  await k.settle();
  assert.deepEqual(
    k.log.map((e) => `${e.socket}:${e.message.header.msg_type}`),
    ["iopub:status", "shell:execute_reply", "iopub:status"],
  );
  assert.deepEqual(k.log[1]!.message.content, { status: "aborted" });
});
