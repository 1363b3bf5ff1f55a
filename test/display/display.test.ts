import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import path from "node:path";
import { runInCell } from "../../src/runtime/cell-context";
import { clearOutput, display, mimeBundleOf, table } from "../../src/display/index";
import { recordingCell } from "./recording-sink";
import { parseXml } from "./xml";

test("mimeBundleOf: plain values become inspect text", () => {
  assert.deepEqual(mimeBundleOf(42), { "text/plain": "42" });
  assert.deepEqual(mimeBundleOf("hi"), { "text/plain": "'hi'" });
  const deep = mimeBundleOf({ a: { b: { c: { d: { e: { f: 1 } } } } } })["text/plain"] as string;
  assert.match(deep, /e: \[Object\]/);
  assert.doesNotMatch(deep, /f: 1/);
  const long = mimeBundleOf(Array.from({ length: 150 }, (_, i) => i))["text/plain"] as string;
  assert.match(long, /\.\.\. 50 more items/);
});

test("mimeBundleOf: Jupyter.display method is used, text/plain added when missing", () => {
  const rich = { [Symbol.for("Jupyter.display")]: () => ({ "text/html": "<b>x</b>" }) };
  const bundle = mimeBundleOf(rich);
  assert.equal(bundle["text/html"], "<b>x</b>");
  assert.equal(typeof bundle["text/plain"], "string");
  const withText = { [Symbol.for("Jupyter.display")]: () => ({ "text/html": "<b>x</b>", "text/plain": "x" }) };
  assert.deepEqual(mimeBundleOf(withText), { "text/html": "<b>x</b>", "text/plain": "x" });
});

test("mimeBundleOf: a throwing display method falls back to text and says so", () => {
  const bad = {
    n: 1,
    [Symbol.for("Jupyter.display")]: () => {
      throw new Error("boom");
    },
  };
  assert.match(mimeBundleOf(bad)["text/plain"] as string, /display method failed: Error: boom/);
});

test("display sends display_data with a display id; update reuses it", () => {
  const { cell, sink } = recordingCell();
  runInCell(cell, () => {
    const h = display({ x: 1 });
    h.update({ x: 2 });
    display("later", { displayId: h.id, update: true });
  });
  const d = sink.displays();
  assert.equal(d.length, 3);
  assert.equal(d[0]?.update, false);
  assert.deepEqual(d[0]?.content.data, { "text/plain": "{ x: 1 }" });
  const id = d[0]?.content.transient?.display_id;
  assert.ok(id && id.length >= 16);
  assert.equal(d[1]?.update, true);
  assert.equal(d[1]?.content.transient?.display_id, id);
  assert.deepEqual(d[1]?.content.data, { "text/plain": "{ x: 2 }" });
  assert.equal(d[2]?.update, true);
  assert.equal(d[2]?.content.transient?.display_id, id);
});

test("typed helpers produce the right mime types, each with text/plain", () => {
  const { cell, sink } = recordingCell();
  runInCell(cell, () => {
    display.html("<p>Hello <b>there</b></p>");
    display.markdown("# Title");
    display.svg('<svg xmlns="http://www.w3.org/2000/svg"><title>dots</title></svg>');
    display.json({ a: [1, 2] });
    display.png(Buffer.from([0x89, 0x50, 0x4e, 0x47]));
    display.text("plain");
    clearOutput({ wait: true });
  });
  const data = sink.displays().map((d) => d.content.data);
  assert.deepEqual(data[0], { "text/html": "<p>Hello <b>there</b></p>", "text/plain": "Hello there" });
  assert.deepEqual(data[1], { "text/markdown": "# Title", "text/plain": "# Title" });
  assert.equal(data[2]?.["text/plain"], "[SVG image: dots]");
  assert.deepEqual(data[3]?.["application/json"], { a: [1, 2] });
  assert.equal(data[4]?.["image/png"], "iVBORw==");
  assert.equal(data[5]?.["text/plain"], "plain");
  for (const d of data) assert.equal(typeof d["text/plain"], "string");
  assert.deepEqual(sink.events.at(-1), { kind: "clear", wait: true });
});

test("table renders HTML (valid XML, right rows), text and markdown", () => {
  const rows = [
    { name: "a<b", n: 1, t: 0.123456 },
    { name: "c|d", n: 22, t: 3 },
    { name: "e", n: 333 },
  ];
  const t = table(rows, { caption: "Demo & co" });
  const html = t.toHTML();
  const doc = parseXml(html);
  assert.equal(doc.getElementsByTagName("tr").length, 4);
  assert.equal(doc.getElementsByTagName("th").length, 3);
  assert.equal(doc.getElementsByTagName("caption")[0]?.textContent, "Demo & co");
  assert.equal(doc.getElementsByTagName("td")[0]?.textContent, "a<b");
  const text = t.toText().split("\n");
  assert.deepEqual(text, [
    "Demo & co",
    "name    n       t",
    "----  ---  ------",
    "a<b     1  0.1235",
    "c|d    22       3",
    "e     333",
  ]);
  const md = t.toMarkdown().split("\n");
  assert.equal(md[2], "| name | n | t |");
  assert.equal(md[3], "|:---|---:|---:|");
  assert.equal(md[5], "| c\\|d | 22 | 3 |");
  assert.equal(md.length, 7);
});

test("table columns: order, labels and formatters", () => {
  const t = table([{ a: 1, b: 2 }], { columns: ["b", { key: "a", label: "A!", format: (v) => `<${String(v)}>` }] });
  assert.deepEqual(t.toText().split("\n"), ["b   A!", "-  ---", "2  <1>"]);
});

test("display.table shows a bundle with html, markdown and text", () => {
  const { cell, sink } = recordingCell();
  runInCell(cell, () => display.table([{ x: 1 }, { x: 2 }], { caption: "xs" }));
  const data = sink.displays()[0]?.content.data ?? {};
  assert.deepEqual(Object.keys(data).sort(), ["text/html", "text/markdown", "text/plain"]);
  assert.match(data["text/plain"] as string, /^xs\nx\n-\n1\n2$/);
});

test("outside a kernel, display prints text/plain to stdout", () => {
  const script = `
    const { display, table } = require(${JSON.stringify(path.join(__dirname, "../../src/display/index.js"))});
    display.html("<i>hi</i>");
    display(table([{ k: "v" }]));
    display.svg("<svg/>");
  `;
  const r = spawnSync(process.execPath, ["-e", script], { encoding: "utf8", timeout: 20_000 });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout, "hi\nk\n-\nv\n[SVG image]\n");
  assert.equal(r.stderr, "");
});
