import { test } from "node:test";
import assert from "node:assert/strict";
import { mimeBundleOf } from "../../src/display/mime";
import { CompareResult, type CompareRow } from "../../src/timing/compare";
import { timeline, track, waiting } from "../../src/timing/timeline";
import { compareVegaLite, VEGA_LITE_MIME, timelineVegaLite } from "../../src/timing/vega-lite";
import type { TimelineLane } from "../../src/timing/timeline-model";

type Spec = {
  layer: Array<{ data?: { values: Array<Record<string, unknown>> }; mark: unknown; encoding: Record<string, any> }>;
} & Record<string, any>;

const lane = (name: string, part: Partial<TimelineLane>): TimelineLane => ({
  name,
  pid: 1,
  alive: { from: 0, to: 1 },
  running: [],
  waiting: [],
  sleeping: [],
  holding: [],
  markers: [],
  ...part,
});

test("a timeline's Vega-Lite spec: one datum per interval, lanes in order, tooltips with thread, state, start, duration", () => {
  const lanes = [
    lane("MainThread", { running: [{ from: 0, to: 0.25 }], waiting: [{ from: 0.25, to: 1, what: "join" }] }),
    lane("worker 1", {
      running: [{ from: 0.1, to: 0.6 }],
      sleeping: [{ from: 0.6, to: 0.9 }],
      holding: [{ from: 0.2, to: 0.4, what: "lock" }],
      markers: [{ at: 0.5, kind: "mark", what: "half" }],
    }),
  ];
  const spec = timelineVegaLite(lanes, 1, "Two threads") as Spec;
  assert.equal(spec.$schema, "https://vega.github.io/schema/vega-lite/v5.json");
  assert.equal(spec.title, "Two threads");
  const [bars, holds, markers] = spec.layer;
  assert.deepEqual(bars!.data!.values, [
    { thread: "MainThread", state: "running", start: 0, end: 0.25, duration: 0.25, what: "" },
    { thread: "MainThread", state: "waiting", start: 0.25, end: 1, duration: 0.75, what: "join" },
    { thread: "worker 1", state: "running", start: 0.1, end: 0.6, duration: 0.5, what: "" },
    { thread: "worker 1", state: "sleeping", start: 0.6, end: 0.9, duration: 0.3, what: "" },
  ]);
  assert.deepEqual(holds!.data!.values, [
    { thread: "worker 1", state: "holding", start: 0.2, end: 0.4, duration: 0.2, what: "lock" },
  ]);
  assert.deepEqual(markers!.data!.values, [{ thread: "worker 1", state: "mark", start: 0.5, what: "half" }]);
  assert.deepEqual(bars!.encoding.y.sort, ["MainThread", "worker 1"]);
  assert.deepEqual(
    bars!.encoding.tooltip.map((t: { field: string }) => t.field),
    ["thread", "state", "start", "duration", "what"],
  );
  assert.deepEqual(bars!.encoding.x.scale.domain, [0, 1]);
  assert.doesNotThrow(() => JSON.parse(JSON.stringify(spec)), "plain JSON");
});

test("a recorded Timeline's bundle carries Vega-Lite next to the SVG and the text chart", async () => {
  const pause = (ms: number) => new Promise((done) => setTimeout(done, ms));
  const tl = await timeline(
    () => Promise.all([track("task A", () => waiting("timer", pause(30))), track("task B", () => pause(10))]),
    { title: "Two tasks" },
  );
  const bundle = mimeBundleOf(tl);
  assert.match(String(bundle["image/svg+xml"]), /^<svg/);
  assert.equal(typeof bundle["text/plain"], "string");
  const spec = bundle[VEGA_LITE_MIME] as Spec;
  const threads = new Set(spec.layer[0]!.data!.values.map((v) => v.thread));
  assert.ok(threads.has("task A") && threads.has("task B"), JSON.stringify([...threads]));
  assert.ok(
    spec.layer[0]!.data!.values.some((v) => v.thread === "task A" && v.state === "waiting" && v.what === "timer"),
  );
});

test("compare's bundle and chart() carry a Vega-Lite bar chart with min–max whiskers", () => {
  const rows: CompareRow[] = [
    { variant: "serial", runs: [0.2, 0.21], median: 0.2, min: 0.19, max: 0.21, cpu: 0.2, speedup: 1, value: undefined },
    { variant: "threads", runs: [0.1], median: 0.1, min: 0.09, max: 0.12, cpu: 0.2, speedup: 2, value: undefined },
  ];
  const result = new CompareResult(rows, "Sum");
  const bundle = mimeBundleOf(result);
  assert.deepEqual(bundle[VEGA_LITE_MIME], compareVegaLite(rows, "Sum"));
  assert.ok(typeof bundle["text/html"] === "string", "the table stays");
  const spec = compareVegaLite(rows, "Sum") as Spec;
  assert.equal(spec.title, "Sum: median wall time");
  assert.deepEqual((spec.data as { values: unknown[] }).values, [
    { variant: "serial", median: 0.2, min: 0.19, max: 0.21, cpu: 0.2, speedup: 1 },
    { variant: "threads", median: 0.1, min: 0.09, max: 0.12, cpu: 0.2, speedup: 2 },
  ]);
  assert.equal(spec.layer[1]!.encoding.x2.field, "max");
  const chart = mimeBundleOf(result.chart());
  assert.deepEqual(Object.keys(chart).sort(), [VEGA_LITE_MIME, "image/svg+xml", "text/plain"].sort());
});
