import { test } from "node:test";
import assert from "node:assert/strict";
import vm from "node:vm";
import ts from "typescript";
import { Worker } from "node:worker_threads";
import { runInCell } from "../../src/runtime/cell-context";
import { compare, parseMagics, runCellMagic, time, timeit } from "../../src/timing/index";
import * as timing from "../../src/timing/index";
import { mimeBundleOf } from "../../src/display/mime";
import { recordingCell } from "../display/recording-sink";
import { parseXml } from "../display/xml";

function spin(ms: number): number {
  const end = performance.now() + ms;
  let n = 0;
  while (performance.now() < end) n++;
  return n;
}

test("time(): wall covers a sleep, CPU stays small while sleeping", async () => {
  const r = await time(async () => {
    await new Promise((res) => setTimeout(res, 60));
    return "v";
  });
  assert.equal(r.value, "v");
  assert.ok(r.wall >= 0.055, `wall ${r.wall}`);
  assert.ok(r.cpu < r.wall, `cpu ${r.cpu} wall ${r.wall}`);
  assert.match(r.toText(), /^CPU times: user .*, sys: .*, total: .*\nWall time: .* \(CPU\/wall \d\.\d\d: /);
});

test("time(): CPU time includes worker threads", async () => {
  // A fixed amount of work (not a wall-clock spin, which a busy machine would starve of CPU).
  const work = "let acc = 0; for (let i = 0; i < 60_000_000; i++) acc = (acc + i * i) % 1_000_003;";
  const inMain = await time(() => new Function(work)());
  const code = `${work} require('worker_threads').parentPort.postMessage(acc);`;
  const r = await time(
    () =>
      new Promise<void>((resolve, reject) => {
        const w = new Worker(code, { eval: true });
        w.once("message", () => void w.terminate().then(() => resolve()));
        w.once("error", reject);
      }),
  );
  // The worker did the same work as the main thread did alone: its CPU time is counted too.
  assert.ok(r.cpu >= inMain.cpu * 0.6, `worker run cpu ${r.cpu} s, same work on the main thread ${inMain.cpu} s`);
});

test("timeit(): loops chosen so a batch takes ≥ 0.2 s; repeat honoured; text like IPython", async () => {
  let calls = 0;
  const r = await timeit(
    () => {
      calls++;
      spin(2);
    },
    { repeat: 3 },
  );
  assert.equal(r.repeat, 3);
  assert.ok([1, 2, 5, 10, 20, 50, 100, 200].includes(r.loops), `loops ${r.loops}`);
  assert.ok(r.loops * r.best * 1000 >= 1.9 * r.loops, "each loop spins ≥ 2 ms");
  assert.ok(calls >= 1 + r.loops * 3);
  assert.match(
    r.toText(),
    /^\d+(\.\d+)? ms ± \d+(\.\d+)? (ms|µs|ns) per loop \(mean ± std\. dev\. of 3 runs, \d+ loops? each\)/,
  );
  const fixed = await timeit(
    async () => {
      await Promise.resolve();
    },
    { number: 7, repeat: 2 },
  );
  assert.equal(fixed.loops, 7);
  assert.equal(fixed.timings.length, 2);
  await assert.rejects(() => timeit(() => 1, { repeat: 0 }), { code: "ERR_SPINDLE_TIMEIT_OPTION" });
});

test("compare(): one row per variant, speedup vs first, HTML table + SVG chart valid", async () => {
  const r = await compare(
    { slow: () => spin(30), fast: () => spin(5), sleepy: () => new Promise((res) => setTimeout(res, 10)) },
    { repeat: 3, title: "Demo" },
  );
  assert.deepEqual(
    r.rows.map((x) => x.variant),
    ["slow", "fast", "sleepy"],
  );
  for (const row of r.rows) {
    assert.equal(row.runs.length, 3);
    assert.ok(row.min <= row.median && row.median <= row.max);
  }
  assert.equal(r.rows[0]?.speedup, 1);
  const slow = r.row("slow");
  const fast = r.row("fast");
  assert.ok(slow && fast);
  assert.equal(fast.speedup, slow.median / fast.median);
  const bundle = mimeBundleOf(r);
  const doc = parseXml(bundle["text/html"] as string);
  assert.equal(doc.getElementsByTagName("tbody")[0]?.getElementsByTagName("tr").length, 3);
  assert.deepEqual(
    Array.from(doc.getElementsByTagName("th")).map((th) => th.textContent),
    ["variant", "median wall", "min", "max", "CPU time", "CPU/wall", "speedup vs slow"],
  );
  assert.equal(doc.getElementsByTagName("svg").length, 1);
  assert.equal(Array.from(doc.getElementsByTagName("rect")).filter((x) => x.getAttribute("class") === "bar").length, 3);
  const text = bundle["text/plain"] as string;
  assert.match(text, /^Demo\nvariant +median wall/);
  assert.match(text, /^slow( +[\d.]+ (s|ms|µs|ns)){4} +\d\.\d\d +1\.00×$/m);
  assert.match(bundle["text/markdown"] as string, /\| sleepy \|/);
  await assert.rejects(
    () =>
      compare({
        bad: () => {
          throw new Error("nope");
        },
      }),
    { code: "ERR_SPINDLE_COMPARE_VARIANT", message: /variant "bad" failed: nope/ },
  );
});

test("%%time and %%timeit print IPython's lines to the cell; %%timeline displays a chart", async () => {
  const { cell, sink } = recordingCell();
  let runs = 0;
  const value = await runInCell(cell, () =>
    runCellMagic({ name: "time" }, async () => {
      runs++;
      return 42;
    }),
  );
  assert.equal(value, 42);
  assert.equal(runs, 1);
  const timed = await runInCell(cell, () =>
    runCellMagic({ name: "timeit", number: 3, repeat: 2, quiet: false, returnResult: true }, async () => {
      runs++;
    }),
  );
  assert.ok(timed instanceof timing.TimeitResult);
  assert.equal(runs, 1 + 1 + 6);
  const tl = await runInCell(cell, () =>
    runCellMagic({ name: "timeline", title: "T" }, async () => timing.track("job", () => "done")),
  );
  assert.equal(tl, "done");
  const streams = sink.events.flatMap((e) => (e.kind === "stream" ? [e.text] : [])).join("");
  assert.match(streams, /CPU times: user .*\nWall time: /);
  assert.match(streams, /per loop \(mean ± std\. dev\. of 2 runs, 3 loops each\)/);
  const shown = sink.displays().map((d) => d.content.data);
  assert.equal(shown.length, 1);
  parseXml(shown[0]?.["image/svg+xml"] as string);
  assert.match(shown[0]?.["text/plain"] as string, /^T — 1 lane\(s\)/);
});

test("a rewritten %time line runs as compiled TypeScript and keeps the declared name", async () => {
  const plan = parseMagics("%time const total = [1, 2, 3].reduce((a, b) => a + b, 0);\ntotal * 2");
  const js = ts.transpileModule(plan.code, {
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
  }).outputText;
  // Evaluate like the executor: inside an async function with a require that knows spindle/timing.
  const body = js.replace(/\n(total \* 2;?)\s*$/, "\nreturn $1");
  const fn = vm.runInThisContext(`(async function (require, exports) {${body}\n})`) as (
    r: (id: string) => unknown,
    e: object,
  ) => Promise<unknown>;
  const { cell, sink } = recordingCell();
  const value = await runInCell(cell, () => fn((id) => (id === "spindle/timing" ? timing : require(id)), {}));
  assert.equal(value, 12);
  assert.match(
    sink.events.flatMap((e) => (e.kind === "stream" ? [e.text] : [])).join(""),
    /^CPU times: .*\nWall time: /,
  );
});
