import { test } from "node:test";
import assert from "node:assert/strict";
import { mimeBundleOf } from "../../src/display/mime";
import {
  Button,
  Checkbox,
  dlink,
  Dropdown,
  HBox,
  IntRangeSlider,
  IntSlider,
  interact,
  link,
  Output,
  Play,
  WidgetError,
} from "../../src/widgets";
import { widgetFor } from "../../src/widgets/interact";
import { toCamel, toWire } from "../../src/widgets/names";

// Outside a kernel the widgets work detached: state, validation, observers and links are all kernel-side.

test("names: snake_case on the wire, camelCase in TypeScript", () => {
  assert.equal(toWire("continuousUpdate"), "continuous_update");
  assert.equal(toCamel("description_allow_html"), "descriptionAllowHtml");
  assert.equal(toWire(toCamel("_options_labels")), "_options_labels");
});

test("options are checked: unknown names, wrong kinds, min above max", () => {
  assert.throws(
    () => new IntSlider({ vaule: 1 } as never),
    (e: unknown) => e instanceof WidgetError && /has no property "vaule"/.test(e.message),
  );
  assert.throws(() => new IntSlider({ value: 1.5 }), /IntSlider.value must be an integer/);
  assert.throws(() => new Checkbox({ value: "yes" as never }), /Checkbox.value must be true or false/);
  const s = new IntSlider({ value: 5, min: 0, max: 10 });
  assert.throws(() => s.set({ min: 20 }), /min \(20\) is above max \(10\)/);
  assert.equal(s.min, 0, "a rejected change leaves the state as it was");
  assert.equal(s.value, 5);
});

test("sliders clamp their value; one observed change per set, from the first old to the last new value", () => {
  const s = new IntSlider({ value: 5, min: 0, max: 10 });
  const changes: unknown[] = [];
  const stop = s.observe((c) => void changes.push([c.name, c.old, c.new]), "value");
  s.value = 42;
  s.set({ max: 8 });
  stop();
  s.value = 1;
  assert.deepEqual(changes, [
    ["value", 5, 10],
    ["value", 10, 8],
  ]);
  const r = new IntRangeSlider({ value: [70, 20], min: 0, max: 50 });
  assert.deepEqual(r.value, [20, 50], "a range is ordered and clamped");
});

test("Dropdown keeps values in the kernel and labels on the wire; observers see value and label follow index", () => {
  const d = new Dropdown({
    options: [
      ["one", 1],
      ["two", 2],
    ],
    value: 2,
  });
  assert.deepEqual([d.index, d.value, d.label, d.labels], [1, 2, "two", ["one", "two"]]);
  const seen: string[] = [];
  d.observe((c) => void seen.push(`${c.name}:${String(c.new)}`));
  d.value = 1;
  assert.deepEqual(seen, ["index:0", "value:1", "label:one"]);
  d.options = [
    ["zero", 0],
    ["one", 1],
  ];
  assert.deepEqual([d.index, d.value], [1, 1], "the selection stays on the same value");
  assert.throws(() => (d.value = 7), /value 7 is not one of the options \(zero, one\)/);
  assert.throws(() => new Dropdown({ options: ["a"], value: "b" }), /not one of the options/);
});

test("link keeps two properties equal both ways; dlink one way with a transform", () => {
  const a = new IntSlider({ value: 3 });
  const b = new Play({ value: 9 });
  const l = link([a, "value"], [b, "value"]);
  assert.equal(b.value, 3);
  b.value = 7;
  assert.equal(a.value, 7);
  l.unlink();
  b.value = 1;
  assert.equal(a.value, 7);
  const c = new IntSlider({ value: 0, max: 1000 });
  dlink([a, "value"], [c, "value"], (v) => (v as number) * 10);
  a.value = 9;
  assert.equal(c.value, 90);
});

test("the display bundle: widget view with a text/plain fallback", () => {
  const box = new HBox([new Button({ description: "go" }), new IntSlider({ value: 2, max: 8, description: "n" })]);
  const bundle = mimeBundleOf(box);
  assert.deepEqual(bundle["application/vnd.jupyter.widget-view+json"], {
    version_major: 2,
    version_minor: 0,
    model_id: box.modelId,
  });
  assert.equal(mimeBundleOf(box.children[1])["text/plain"], 'IntSlider(value=2, max=8, description="n")');
});

test("Button.click runs the click handlers; Output collects appended outputs", async () => {
  const b = new Button();
  let n = 0;
  b.onClick(async () => void n++);
  await b.click();
  assert.equal(n, 1);
  const out = new Output();
  out.appendStdout("hello\n");
  out.appendDisplayData({ a: 1 });
  assert.deepEqual(
    out.outputs.map((o) => o.output_type),
    ["stream", "display_data"],
  );
  out.clearOutput();
  assert.deepEqual(out.outputs, []);
});

test("interact's abbreviations: ranges, numbers, booleans, strings, choices; bad ones explained", async () => {
  const s = widgetFor("threads", [1, 8]) as IntSlider;
  assert.deepEqual([s.kind, s.min, s.max, s.value, s.continuousUpdate], ["IntSlider", 1, 8, 4, false]);
  assert.equal(widgetFor("x", [0, 1]).kind, "IntSlider");
  assert.equal(widgetFor("x", [0, 1, 0.25]).kind, "FloatSlider");
  const n = widgetFor("n", 10) as IntSlider;
  assert.deepEqual([n.min, n.max, n.value], [-10, 30, 10]);
  assert.equal(widgetFor("b", true).kind, "Checkbox");
  assert.equal(widgetFor("t", "hi").kind, "Text");
  assert.equal(widgetFor("c", ["lock", "no lock"]).kind, "Dropdown");
  assert.throws(() => widgetFor("r", [8, 1]), /give it as \[min, max\] with min ≤ max/);
  assert.throws(() => widgetFor("e", []), /list of choices for "e" is empty/);
  const runs: unknown[] = [];
  const ui = await interact(({ n, lock }) => void runs.push([n, lock]), { n: [0, 4], lock: true });
  (ui.controls.n as IntSlider).value = 4;
  await ui.rerun();
  assert.deepEqual(runs, [
    [2, true],
    [4, true],
    [4, true],
  ]);
});

test("a widget cannot be created in a worker thread: the error says where widgets live", async () => {
  const { Worker } = await import("node:worker_threads");
  const file = require.resolve("../../src/widgets");
  const message = await new Promise<string>((resolve, reject) => {
    const w = new Worker(
      `const { parentPort } = require("node:worker_threads");
try { new (require(${JSON.stringify(file)}).IntSlider)(); parentPort.postMessage("created"); } catch (e) { parentPort.postMessage(e.name + ": " + e.message); }`,
      { eval: true },
    );
    const timer = setTimeout(() => {
      void w.terminate();
      reject(new Error("the worker did not answer within 10 s"));
    }, 10_000);
    w.once("message", (m: string) => {
      clearTimeout(timer);
      resolve(m);
      void w.terminate();
    });
    w.once("error", reject);
  });
  assert.match(
    message,
    /^WidgetError: An IntSlider cannot be created in a worker thread: widgets live in the notebook's main thread/,
  );
});
