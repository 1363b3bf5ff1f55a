import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { startTestKernel, type TestKernel } from "../helpers/kernel-harness";
import type { JupyterMessage } from "../../src/protocol";
import { parseXml } from "./xml";

type Content = { data?: Record<string, unknown>; transient?: { display_id?: string }; name?: string; text?: string };
const content = (m: JupyterMessage): Content => m.content as Content;

describe("display and timing through the kernel (real kernel over ZeroMQ)", { timeout: 180_000 }, () => {
  let tk: TestKernel;
  before(async () => {
    tk = await startTestKernel();
  });
  after(async () => {
    await tk?.stop();
  });

  test("a progress bar reuses its display_id for every update and ends with its final state", async () => {
    const r = await tk.client.execute(
      [
        'import { progress } from "spindle/display";',
        'const bar = progress({ total: 40, label: "steps", minInterval: 0.02 });',
        "for (let i = 0; i < 40; i++) { bar.advance(); await new Promise((res) => setTimeout(res, 2)); }",
        "bar.close();",
      ].join("\n"),
      { timeout: 60 },
    );
    assert.equal(r.status, "ok", JSON.stringify(r.reply.content));
    const shown = r.outputs.filter(
      (m) => m.header.msg_type === "display_data" || m.header.msg_type === "update_display_data",
    );
    assert.ok(shown.length >= 2, `outputs: ${r.outputs.map((m) => m.header.msg_type).join(", ")}`);
    assert.equal(shown[0]?.header.msg_type, "display_data");
    const id = content(shown[0] as JupyterMessage).transient?.display_id;
    assert.ok(id);
    for (const m of shown.slice(1)) {
      assert.equal(m.header.msg_type, "update_display_data");
      assert.equal(content(m).transient?.display_id, id);
    }
    assert.ok(shown.length < 40, `throttled: ${shown.length} messages for 40 steps`);
    const last = content(shown.at(-1) as JupyterMessage).data ?? {};
    assert.match(last["text/plain"] as string, /^steps: 100%.* 40\/40 .* done$/);
    assert.equal(typeof last["text/html"], "string");
  });

  test("display handles, tables and a compare result render with html, markdown and text", async () => {
    const r = await tk.client.execute(
      [
        'import { display } from "spindle/display";',
        'import { compare } from "spindle/timing";',
        'const h = display.markdown("**first**");',
        "h.update({ n: 2 });",
        'display.table([{ a: 1, b: "x" }, { a: 2, b: "y" }], { caption: "ab" });',
        // No progress bar: on a loaded machine a comparison may pass the bar's 1 s delay.
        "await compare({ one: () => 1, two: () => 2 }, { repeat: 2, progress: false })",
      ].join("\n"),
      { timeout: 60 },
    );
    assert.equal(r.status, "ok", JSON.stringify(r.reply.content));
    const types = r.outputs.map((m) => m.header.msg_type);
    assert.deepEqual(types, ["display_data", "update_display_data", "display_data", "execute_result"]);
    const [first, update, tableMsg, result] = r.outputs as JupyterMessage[];
    assert.equal(
      content(update as JupyterMessage).transient?.display_id,
      content(first as JupyterMessage).transient?.display_id,
    );
    assert.equal(content(update as JupyterMessage).data?.["text/plain"], "{ n: 2 }");
    assert.match(content(tableMsg as JupyterMessage).data?.["text/plain"] as string, /^ab\na {2}b\n/);
    const data = content(result as JupyterMessage).data ?? {};
    const doc = parseXml(data["text/html"] as string);
    assert.equal(doc.getElementsByTagName("tbody")[0]?.getElementsByTagName("tr").length, 2);
    assert.equal(doc.getElementsByTagName("svg").length, 1);
    assert.match(data["text/plain"] as string, /^variant +median wall/);
  });

  test("Pool.map in a cell shows a progress bar whose final update says done", async () => {
    const r = await tk.client.execute(
      [
        'import { Pool } from "spindle/multiprocessing";',
        'import { setProgressEnabled } from "spindle/display";',
        "setProgressEnabled(true, { delay: 0 });",
        "const pool = new Pool(2);",
        "const out = await pool.map((x: number) => new Promise<number>((done) => setTimeout(() => done(x * 2), 20)), Array.from({ length: 12 }, (_, i) => i), 1);",
        "await pool.terminate();",
        "setProgressEnabled(true, { delay: 0.5 });",
        "out.length",
      ].join("\n"),
      { timeout: 120 },
    );
    assert.equal(r.status, "ok", JSON.stringify(r.reply.content));
    const bars = r.outputs.filter(
      (m) => m.header.msg_type === "display_data" || m.header.msg_type === "update_display_data",
    );
    assert.ok(bars.length >= 2, `outputs: ${r.outputs.map((m) => m.header.msg_type).join(", ")}`);
    const id = content(bars[0] as JupyterMessage).transient?.display_id;
    assert.ok(id);
    assert.ok(bars.every((m) => content(m).transient?.display_id === id));
    assert.match(
      content(bars.at(-1) as JupyterMessage).data?.["text/plain"] as string,
      /^Pool\.map: 100%.* 12\/12 .* done$/,
    );
  });
});
