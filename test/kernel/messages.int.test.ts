import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { startTestKernel, type TestKernel } from "../helpers/kernel-harness";

describe("kernel messages (real kernel over ZeroMQ)", { timeout: 120_000 }, () => {
  let tk: TestKernel;
  before(async () => {
    tk = await startTestKernel();
  });
  after(async () => {
    await tk?.stop();
  });

  test("kernel_info on shell and on control, with busy/idle around each", async () => {
    for (const channel of ["shell", "control"] as const) {
      const id = tk.send(channel, "kernel_info_request", {});
      const reply = await tk.replyTo(id);
      assert.equal(reply.header.msg_type, "kernel_info_reply");
      const c = reply.content as Record<string, any>;
      assert.equal(c.status, "ok");
      assert.equal(c.protocol_version, "5.3");
      assert.equal(c.implementation, "spindle");
      assert.deepEqual(
        {
          name: c.language_info.name,
          mimetype: c.language_info.mimetype,
          file_extension: c.language_info.file_extension,
          codemirror_mode: c.language_info.codemirror_mode,
          pygments_lexer: c.language_info.pygments_lexer,
        },
        {
          name: "typescript",
          mimetype: "text/typescript",
          file_extension: ".ts",
          codemirror_mode: "typescript",
          pygments_lexer: "typescript",
        },
      );
      assert.match(c.language_info.version, /^\d+\.\d+/);
      assert.ok(c.banner.length > 0);
      assert.ok(c.help_links.length > 0);
      await tk.idleFor(id);
      tk.assertBusyIdle(id);
    }
  });

  test("the heartbeat echoes", async () => {
    assert.equal(await tk.client.heartbeat(5), true);
  });

  test("comm_info lists no comms; comm_open to an unknown target is closed", async () => {
    const id = tk.send("shell", "comm_info_request", {});
    assert.deepEqual((await tk.replyTo(id)).content, { status: "ok", comms: {} });
    const open = tk.send("shell", "comm_open", { comm_id: "c-1", target_name: "no.such.target", data: {} });
    await tk.idleFor(open);
    tk.assertBusyIdle(open);
    const close = tk.iopubFor(open).find((m) => m.header.msg_type === "comm_close");
    assert.ok(close, "a comm_close was published");
    assert.equal((close.content as { comm_id: string }).comm_id, "c-1");
  });

  test("an unknown request type gets an error reply and is logged; the kernel answers the next request", async () => {
    const id = tk.send("shell", "frobnicate_request", {});
    const reply = await tk.replyTo(id);
    assert.equal(reply.header.msg_type, "frobnicate_reply");
    assert.equal((reply.content as { status: string }).status, "error");
    assert.equal((reply.content as { ename: string }).ename, "UnknownMessageType");
    await tk.idleFor(id);
    tk.assertBusyIdle(id);
    await tk.waitForLog(/unknown message type "frobnicate_request"/);
    const other = tk.send("shell", "mystery_message", {});
    await tk.idleFor(other);
    await tk.waitForLog(/unknown message type "mystery_message"; ignored/);
    assert.equal((await tk.client.kernelInfo({ timeout: 10 })).status, "ok");
  });

  test("complete, inspect and is_complete are answered by the executor", async () => {
    await tk.client.execute("const spindleCounter = 41;", { timeout: 60 });
    const comp = await tk.client.complete("spindleCoun", undefined, 30);
    assert.equal(comp.status, "ok");
    assert.ok(comp.matches.includes("spindleCounter"), `matches: ${comp.matches.slice(0, 10).join(", ")}`);
    assert.equal(comp.cursor_end, "spindleCoun".length);
    const insp = await tk.client.inspect("spindleCounter", undefined, 0, 30);
    assert.equal(insp.status, "ok");
    assert.equal(insp.found, true);
    assert.ok(Object.keys(insp.data).length > 0);
    assert.equal((await tk.client.isComplete("let a = 1;", 30)).status, "complete");
    const incomplete = await tk.client.isComplete("function f() {", 30);
    assert.equal(incomplete.status, "incomplete");
    assert.equal(typeof incomplete.indent, "string");
  });

  test("history: tail, range and search over this kernel's cells", async () => {
    const codes = ["const histA = 1", "const histB = 2", "histA + histB"];
    for (const code of codes) assert.equal((await tk.client.execute(code, { timeout: 30 })).status, "ok");
    await tk.client.execute("1 + 1 // not stored", { storeHistory: false, timeout: 30 });
    const tail = await tk.client.history({ hist_access_type: "tail", n: 3 });
    assert.equal(tail.status, "ok");
    assert.deepEqual(
      tail.history.map((h) => h[2]),
      codes,
    );
    const [session, line] = tail.history[0]!;
    const range = await tk.client.history({ hist_access_type: "range", session, start: line, stop: line + 2 });
    assert.deepEqual(
      range.history.map((h) => h[2]),
      codes.slice(0, 2),
    );
    const withOutput = await tk.client.history({ hist_access_type: "tail", n: 1, output: true });
    assert.deepEqual(withOutput.history[0]![2], ["histA + histB", "3"]);
    const search = await tk.client.history({ hist_access_type: "search", pattern: "const hist?" });
    assert.deepEqual(
      search.history.map((h) => h[2]),
      [],
    );
    const glob = await tk.client.history({ hist_access_type: "search", pattern: "const hist* = *" });
    assert.deepEqual(
      glob.history.map((h) => h[2]),
      codes.slice(0, 2),
    );
  });
});
