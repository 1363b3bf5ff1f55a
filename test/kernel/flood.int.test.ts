import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { startTestKernel, type TestKernel } from "../helpers/kernel-harness";

type Content = Record<string, any>;

describe("iopub never drops (real kernel over ZeroMQ)", { timeout: 180_000 }, () => {
  let tk: TestKernel;
  before(async () => {
    tk = await startTestKernel();
  });
  after(async () => {
    await tk?.stop();
  });

  test("a 100,000-line print arrives complete and in order, in far fewer messages", async () => {
    const r = await tk.client.execute("for (let i = 0; i < 100_000; i++) console.log(`line ${i}`)", { timeout: 120 });
    assert.equal(r.status, "ok");
    const streams = r.outputs.filter((m) => m.header.msg_type === "stream");
    assert.equal(streams.length, r.outputs.length, "only stream output");
    const text = streams.map((m) => (m.content as Content).text as string).join("");
    const lines = text.split("\n");
    assert.equal(lines.pop(), "", "ends with a newline");
    assert.equal(lines.length, 100_000);
    for (let i = 0; i < lines.length; i++) {
      if (lines[i] !== `line ${i}`) assert.fail(`line ${i} is ${JSON.stringify(lines[i])}`);
    }
    assert.ok(streams.length < 1000, `${streams.length} stream messages`);
    tk.assertBusyIdle((r.reply.parent_header as Content).msg_id);
  });

  test("stdout and stderr interleaved keep their own order", async () => {
    const r = await tk.client.execute(
      "for (let i = 0; i < 2000; i++) { console.log(`o${i}`); console.error(`e${i}`); }",
      { timeout: 120 },
    );
    const of = (name: string): string[] =>
      r.outputs
        .filter((m) => (m.content as Content).name === name)
        .map((m) => (m.content as Content).text)
        .join("")
        .split("\n")
        .slice(0, -1);
    assert.deepEqual(
      of("stdout"),
      Array.from({ length: 2000 }, (_, i) => `o${i}`),
    );
    assert.deepEqual(
      of("stderr"),
      Array.from({ length: 2000 }, (_, i) => `e${i}`),
    );
  });

  test("5,000 display messages in a burst all arrive, in order (more than the PUB high-water mark)", async () => {
    const r = await tk.client.execute(
      "import { display } from 'spindle/display'; for (let i = 0; i < 5000; i++) display({ 'text/plain': `d${i}` }, { raw: true });",
      { timeout: 120 },
    );
    assert.equal(r.status, "ok", JSON.stringify(r.reply.content).slice(0, 500));
    const shown = r.outputs
      .filter((m) => m.header.msg_type === "display_data")
      .map((m) => (m.content as Content).data["text/plain"]);
    assert.equal(shown.length, 5000);
    assert.deepEqual(
      shown,
      Array.from({ length: 5000 }, (_, i) => `d${i}`),
    );
  });
});
