import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { startTestKernel, type TestKernel } from "../helpers/kernel-harness";
import type { JupyterMessage } from "../../src/protocol";
import { parseXml } from "../display/xml";

type Content = Record<string, unknown> & { data?: Record<string, unknown>; name?: string; text?: string };
const c = (m: JupyterMessage): Content => m.content as Content;
const stdout = (outputs: JupyterMessage[]): string =>
  outputs
    .filter((m) => m.header.msg_type === "stream" && c(m).name === "stdout")
    .map((m) => String(c(m).text))
    .join("");

describe("timing magics through the kernel (real kernel over ZeroMQ)", { timeout: 180_000 }, () => {
  let tk: TestKernel;
  before(async () => {
    tk = await startTestKernel();
  });
  after(async () => {
    await tk?.stop();
  });

  test("%%time prints CPU and wall times and keeps the cell's value and names", async () => {
    const r = await tk.client.execute("%%time\nconst squares = [1, 2, 3].map((x) => x * x);\nsquares.length", {
      timeout: 60,
    });
    assert.equal(r.status, "ok", JSON.stringify(r.reply.content));
    assert.match(stdout(r.outputs), /^CPU times: user .+, sys: .+, total: .+\nWall time: .+ \(CPU\/wall /);
    const result = r.outputs.find((m) => m.header.msg_type === "execute_result");
    assert.equal(result && c(result).data?.["text/plain"], "3");
    const next = await tk.client.execute("squares.join(',')", { timeout: 30 });
    assert.equal(c(next.outputs.at(-1) as JupyterMessage).data?.["text/plain"], "'1,4,9'");
  });

  test("%time on a declaration line keeps the name for later cells; %timeit -n -r prints one line", async () => {
    const r = await tk.client.execute(
      "%time const total = [5, 6, 7].reduce((a, b) => a + b, 0);\n%timeit -n 5 -r 2 total * 2",
      { timeout: 60 },
    );
    assert.equal(r.status, "ok", JSON.stringify(r.reply.content));
    const out = stdout(r.outputs);
    assert.match(out, /^CPU times: .*\nWall time: .*\n/);
    // (A busy machine may add IPython's "The slowest run took …" line after it.)
    assert.match(out, /per loop \(mean ± std\. dev\. of 2 runs, 5 loops each\)\n/);
    assert.equal(out.match(/per loop/g)?.length, 1);
    const next = await tk.client.execute("total", { timeout: 30 });
    assert.equal(c(next.outputs.at(-1) as JupyterMessage).data?.["text/plain"], "18");
  });

  test("%%timeline displays an SVG chart (with a text form) before the cell's value", async () => {
    const code = [
      "%%timeline Two tasks",
      'import { track } from "spindle/timing";',
      "const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));",
      'await Promise.all([track("A", () => wait(30)), track("B", () => wait(50))]);',
      '"finished"',
    ].join("\n");
    const r = await tk.client.execute(code, { timeout: 60 });
    assert.equal(r.status, "ok", JSON.stringify(r.reply.content));
    const types = r.outputs.map((m) => m.header.msg_type);
    assert.deepEqual(types, ["display_data", "execute_result"]);
    const data = c(r.outputs[0] as JupyterMessage).data ?? {};
    const svg = parseXml(data["image/svg+xml"] as string);
    const lanes = Array.from(svg.getElementsByTagName("g"))
      .filter((g) => g.getAttribute("class") === "lane")
      .map((g) => g.getAttribute("data-lane"));
    assert.deepEqual(lanes, ["A", "B"]);
    assert.match(data["text/plain"] as string, /^Two tasks — 2 lane\(s\)/);
    assert.equal(c(r.outputs[1] as JupyterMessage).data?.["text/plain"], "'finished'");
  });

  test("an unknown magic is an error reply and nothing runs", async () => {
    const r = await tk.client.execute("%%bash\necho hi", { timeout: 30 });
    assert.equal(r.status, "error");
    const reply = r.reply.content as Content;
    assert.equal(reply.ename, "MagicError");
    assert.match(String(reply.evalue), /Unknown cell magic %%bash/);
  });
});
