import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { createSigner, DELIMITER, encodeMessage, type JupyterMessage } from "../../src/protocol";
import { startTestKernel, type TestKernel } from "../helpers/kernel-harness";

type Content = Record<string, any>;

describe("bad input is logged and dropped; the kernel answers the next request", { timeout: 180_000 }, () => {
  let tk: TestKernel;
  before(async () => {
    tk = await startTestKernel();
    assert.equal(
      (await tk.client.execute("(globalThis as any).marks = [] as string[];", { timeout: 60 })).status,
      "ok",
    );
  });
  after(async () => {
    await tk?.stop();
  });

  /** An execute_request that, if it ever ran, would leave `name` in globalThis.marks. */
  function marking(name: string): JupyterMessage {
    return tk.client.factory.message("execute_request", {
      code: `(globalThis as any).marks.push(${JSON.stringify(name)})`,
      silent: false,
      store_history: true,
      user_expressions: {},
      allow_stdin: false,
      stop_on_error: true,
    });
  }

  /** Asserts the kernel still answers, that no message about `msg` came back, and that it never ran. */
  async function assertDropped(msg: JupyterMessage, logLine: RegExp): Promise<void> {
    await tk.waitForLog(logLine);
    assert.equal((await tk.client.kernelInfo({ timeout: 10 })).status, "ok", "the next good request is answered");
    const marks = await tk.client.execute("(globalThis as any).marks.join(',')", { timeout: 30 });
    assert.equal((marks.outputs[0]!.content as Content).data["text/plain"], "''", "the dropped request never ran");
    const about = tk.received.filter((r) => (r.message.parent_header as Content).msg_id === msg.header.msg_id);
    assert.deepEqual(
      about.map((r) => r.message.header.msg_type),
      [],
      "no reply and no status for a dropped message",
    );
  }

  test("a wrong signature", async () => {
    const msg = marking("wrong-signature");
    tk.client.sockets.sendRaw("shell", encodeMessage(msg, [], createSigner("hmac-sha256", "not-the-key")));
    await assertDropped(msg, /shell: dropped a message: Invalid message signature.*BAD_SIGNATURE/);
  });

  test("a replayed message (same signature twice) runs once", async () => {
    const msg = tk.client.factory.message("execute_request", {
      code: "(globalThis as any).replays = ((globalThis as any).replays ?? 0) + 1",
      silent: false,
      store_history: true,
      user_expressions: {},
      allow_stdin: false,
      stop_on_error: true,
    });
    const frames = encodeMessage(msg, [], tk.client.sockets.signer);
    tk.client.sockets.sendRaw("shell", frames);
    await tk.replyTo(msg.header.msg_id);
    await tk.idleFor(msg.header.msg_id);
    const before = tk.received.length;
    tk.client.sockets.sendRaw("shell", frames);
    await tk.waitForLog(/Replayed message.*REPLAYED/);
    const count = await tk.client.execute("(globalThis as any).replays", { timeout: 30 });
    assert.equal((count.outputs[0]!.content as Content).data["text/plain"], "1");
    const again = tk.received
      .slice(before)
      .filter((r) => (r.message.parent_header as Content).msg_id === msg.header.msg_id);
    assert.equal(again.length, 0, "nothing answered the replay");
  });

  test("truncated frames and a missing delimiter", async () => {
    const msg = marking("truncated");
    const frames = encodeMessage(msg, [], tk.client.sockets.signer);
    tk.client.sockets.sendRaw("shell", frames.slice(0, 4));
    await tk.waitForLog(/Truncated message.*TRUNCATED/);
    tk.client.sockets.sendRaw(
      "control",
      frames.filter((f) => !f.equals(DELIMITER)),
    );
    await assertDropped(msg, /control: dropped a message: No <IDS\|MSG> delimiter/);
  });

  test("invalid JSON, correctly signed", async () => {
    const msg = marking("bad-json");
    const parts = [
      Buffer.from(JSON.stringify(msg.header)),
      Buffer.from("{}"),
      Buffer.from("{}"),
      Buffer.from('{"code": "oops"'),
    ];
    tk.client.sockets.sendRaw("shell", [DELIMITER, Buffer.from(tk.client.sockets.signer.sign(parts)), ...parts]);
    await assertDropped(msg, /Invalid JSON in content.*INVALID_JSON/);
  });

  test("a 50 MB message", async () => {
    const msg = marking("huge");
    (msg.content as Content).code += "\n//" + "x".repeat(50 * 1024 * 1024);
    tk.client.sockets.sendRaw("shell", encodeMessage(msg, [], tk.client.sockets.signer));
    await assertDropped(msg, /exceeds the limit.*TOO_LARGE/);
  });

  test("an unknown msg_type on control gets an error reply", async () => {
    const id = tk.send("control", "debug_request", { command: "initialize" });
    const reply = await tk.replyTo(id);
    assert.equal(reply.header.msg_type, "debug_reply");
    assert.equal((reply.content as Content).status, "error");
  });
});
