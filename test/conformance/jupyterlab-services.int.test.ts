import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { KernelManager, ServerConnection, type Kernel, type KernelMessage } from "@jupyterlab/services";
import WebSocket from "ws";
import { waitAllDead } from "../helpers/procs";
import { runningMarker } from "../helpers/running-marker";
import { startJupyterServer, type JupyterServer } from "./jupyter-server";

let server: JupyterServer;
let manager: KernelManager;

before(async () => {
  server = await startJupyterServer();
  const serverSettings = ServerConnection.makeSettings({
    baseUrl: server.url,
    wsUrl: server.wsUrl,
    token: server.token,
    WebSocket: WebSocket as unknown as typeof globalThis.WebSocket,
    fetch,
    Request,
    Headers,
  });
  manager = new KernelManager({ serverSettings });
  await manager.ready;
});

after(async () => {
  manager?.dispose();
  const left = await server?.stop();
  assert.deepEqual(left, [], "no process is left once the server has stopped");
});

interface Run {
  reply: KernelMessage.IExecuteReplyMsg;
  iopub: KernelMessage.IIOPubMessage[];
}

async function run(kernel: Kernel.IKernelConnection, code: string): Promise<Run> {
  const future = kernel.requestExecute({ code });
  const iopub: KernelMessage.IIOPubMessage[] = [];
  future.onIOPub = (msg) => {
    iopub.push(msg);
  };
  const reply = (await future.done) as KernelMessage.IExecuteReplyMsg;
  return { reply, iopub };
}

const resultText = (r: Run): unknown =>
  (
    r.iopub.find((m) => m.header.msg_type === "execute_result")?.content as
      | KernelMessage.IExecuteResultMsg["content"]
      | undefined
  )?.data["text/plain"];

test("@jupyterlab/services: start, execute, interrupt, restart and shut down a spindle kernel through jupyter-server", {
  timeout: 240_000,
}, async () => {
  const kernel = await manager.startNew({ name: "spindle" });
  try {
    const info = await kernel.info;
    assert.equal(info.implementation, "spindle");
    assert.equal(info.language_info.name, "typescript");

    const hello = await run(kernel, "console.log('hello from spindle'); (globalThis as any).kept = 'kept'; 6 * 7");
    assert.equal(hello.reply.content.status, "ok");
    const stream = hello.iopub.find((m) => m.header.msg_type === "stream")
      ?.content as KernelMessage.IStreamMsg["content"];
    assert.equal(stream.text, "hello from spindle\n");
    assert.equal(resultText(hello), "42");
    assert.deepEqual(hello.iopub.map((m) => m.header.msg_type).filter((t) => t === "status").length, 2);

    const display = await run(kernel, "import { display } from 'spindle/display'; display.html('<i>rich</i>')");
    const shown = display.iopub.find((m) => m.header.msg_type === "display_data")
      ?.content as KernelMessage.IDisplayDataMsg["content"];
    assert.equal(shown.data["text/html"], "<i>rich</i>");

    const marker = runningMarker();
    const spin = run(kernel, `${marker.code} while (true) {}`);
    await marker.reached();
    marker.cleanup();
    await kernel.interrupt();
    const spun = await spin;
    assert.equal(spun.reply.content.status, "error");
    assert.equal((spun.reply.content as KernelMessage.IReplyErrorContent).ename, "KeyboardInterrupt");
    const kept = await run(kernel, "(globalThis as any).kept");
    assert.equal(resultText(kept), "'kept'", "state survives the interrupt");

    const before = server.family();
    await kernel.restart();
    assert.ok(await waitAllDead(before, 10_000), "the old kernel process and executor are gone after a restart");
    const fresh = await run(kernel, "typeof (globalThis as any).kept");
    assert.equal(resultText(fresh), "'undefined'", "a restart starts from a clean state");
    assert.equal(fresh.reply.content.execution_count, 1, "and counts from 1 again");

    const running = server.family();
    assert.ok(running.length >= 2, "kernel and executor run under the server");
    await kernel.shutdown();
    assert.ok(await waitAllDead(running, 10_000), "shutdown leaves no kernel or executor process");
  } finally {
    if (!kernel.isDisposed) await kernel.shutdown().catch(() => undefined);
  }
});
