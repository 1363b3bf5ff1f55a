import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { startTestKernel, type TestKernel } from "../helpers/kernel-harness";

type Content = Record<string, any>;

describe("execute_request (real kernel over ZeroMQ)", { timeout: 180_000 }, () => {
  let tk: TestKernel;
  before(async () => {
    tk = await startTestKernel();
  });
  after(async () => {
    await tk?.stop();
  });

  const execute = (code: string, extra: Record<string, unknown> = {}): string =>
    tk.send("shell", "execute_request", {
      code,
      silent: false,
      store_history: true,
      user_expressions: {},
      allow_stdin: false,
      stop_on_error: true,
      ...extra,
    });

  test("busy, execute_input, outputs, reply, idle — with the parent set on each", async () => {
    const id = execute("console.log('hello, world'); 6 * 7");
    const reply = await tk.replyTo(id);
    await tk.idleFor(id);
    tk.assertBusyIdle(id);
    const types = tk.iopubFor(id).map((m) => m.header.msg_type);
    assert.deepEqual(types, ["status", "execute_input", "stream", "execute_result", "status"]);
    const [, input, stream, result] = tk.iopubFor(id);
    assert.equal((input!.content as Content).code, "console.log('hello, world'); 6 * 7");
    assert.equal((stream!.content as Content).text, "hello, world\n");
    assert.equal((result!.content as Content).data["text/plain"], "42");
    const content = reply.content as Content;
    assert.equal(content.status, "ok");
    assert.equal((result!.content as Content).execution_count, content.execution_count);
    assert.equal((input!.content as Content).execution_count, content.execution_count);
  });

  test("execution_count increments only for stored, non-silent executes", async () => {
    const first = await tk.client.execute("1", { timeout: 30 });
    const unstored = await tk.client.execute("2", { storeHistory: false, timeout: 30 });
    const silent = await tk.client.execute("3", { silent: true, timeout: 30 });
    const next = await tk.client.execute("4", { timeout: 30 });
    assert.equal(unstored.executionCount, first.executionCount, "store_history: false keeps the count");
    assert.equal(silent.executionCount, first.executionCount, "silent keeps the count");
    assert.equal(next.executionCount, first.executionCount! + 1);
  });

  test("silent: no execute_input and no execute_result, but the code runs", async () => {
    const r = await tk.client.execute("globalThis.__silentRan = 'yes'; 99", { silent: true, timeout: 30 });
    assert.equal(r.status, "ok");
    assert.deepEqual(
      r.iopub.map((m) => m.header.msg_type),
      ["status", "status"],
    );
    const check = await tk.client.execute("globalThis.__silentRan", { timeout: 30 });
    assert.equal((check.outputs[0]!.content as Content).data["text/plain"], "'yes'");
  });

  test("user_expressions are evaluated after the cell and returned in the reply", async () => {
    const r = await tk.client.execute("const ueBase = 20;", {
      userExpressions: { doubled: "ueBase * 2" },
      timeout: 30,
    });
    assert.equal(r.status, "ok");
    const ue = (r.reply.content as Content).user_expressions;
    assert.equal(ue.doubled.status, "ok");
    assert.equal(ue.doubled.data["text/plain"], "40");
  });

  test("an exception: an error message on iopub and an error reply", async () => {
    const r = await tk.client.execute("throw new RangeError('out of range')", { timeout: 30 });
    assert.equal(r.status, "error");
    const reply = r.reply.content as Content;
    assert.equal(reply.ename, "RangeError");
    assert.equal(reply.evalue, "out of range");
    assert.ok(Array.isArray(reply.traceback));
    const errors = r.outputs.filter((m) => m.header.msg_type === "error");
    assert.equal(errors.length, 1);
    assert.equal((errors[0]!.content as Content).ename, "RangeError");
  });

  test("stop_on_error: executes queued before the failure are aborted; later ones run", async () => {
    const failing = execute("await new Promise((r) => setTimeout(r, 300)); throw new Error('first fails')");
    const queuedA = execute("globalThis.__abortedRan = true; 1");
    const info = tk.send("shell", "kernel_info_request", {});
    const queuedB = execute("2");
    const failReply = await tk.replyTo(failing);
    assert.equal((failReply.content as Content).status, "error");
    for (const id of [queuedA, queuedB]) {
      const reply = await tk.replyTo(id);
      assert.equal(reply.header.msg_type, "execute_reply");
      assert.equal((reply.content as Content).status, "aborted");
      await tk.idleFor(id);
      tk.assertBusyIdle(id);
      assert.deepEqual(
        tk.iopubFor(id).map((m) => m.header.msg_type),
        ["status", "status"],
        "an aborted cell publishes nothing else",
      );
    }
    assert.equal(((await tk.replyTo(info)).content as Content).status, "ok", "non-execute requests are not aborted");
    const later = await tk.client.execute("typeof globalThis.__abortedRan", { timeout: 30 });
    assert.equal(later.status, "ok", "a request sent after the failure runs normally");
    assert.equal(
      (later.outputs[0]!.content as Content).data["text/plain"],
      "'undefined'",
      "the aborted cell never ran",
    );
  });

  test("stop_on_error false: the next queued execute still runs", async () => {
    const failing = execute("await new Promise((r) => setTimeout(r, 200)); throw new Error('no stop')", {
      stop_on_error: false,
    });
    const queued = execute("'ran anyway'");
    assert.equal(((await tk.replyTo(failing)).content as Content).status, "error");
    const reply = await tk.replyTo(queued);
    assert.equal((reply.content as Content).status, "ok");
    await tk.idleFor(queued);
    const result = tk.iopubFor(queued).find((m) => m.header.msg_type === "execute_result");
    assert.equal((result!.content as Content).data["text/plain"], "'ran anyway'");
  });

  test("shell requests run one at a time, in order", async () => {
    const ids = [0, 1, 2, 3, 4].map((i) =>
      execute(`await new Promise((r) => setTimeout(r, ${(5 - i) * 20})); console.log('cell ${i}')`),
    );
    for (const id of ids) await tk.idleFor(id);
    const replies = await Promise.all(ids.map((id) => tk.replyTo(id)));
    const order = replies.map((r) => tk.received.findIndex((x) => x.message === r));
    assert.deepEqual(
      [...order].sort((a, b) => a - b),
      order,
      "replies arrive in request order",
    );
    const outputs = tk.received.filter(
      (r) =>
        r.channel === "iopub" &&
        r.message.header.msg_type === "stream" &&
        ids.includes((r.message.parent_header as Content).msg_id),
    );
    assert.deepEqual(
      outputs.map((r) => (r.message.content as Content).text),
      [0, 1, 2, 3, 4].map((i) => `cell ${i}\n`),
    );
  });
});
