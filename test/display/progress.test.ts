import { test } from "node:test";
import assert from "node:assert/strict";
import { setTimeout as delay } from "node:timers/promises";
import { runInCell } from "../../src/runtime/cell-context";
import { progress, withProgress } from "../../src/display/index";
import { recordingCell } from "./recording-sink";
import { parseXml } from "./xml";

test("a bar shows once, then updates the same display id, throttled; the final state is sent", async () => {
  const { cell, sink } = recordingCell();
  const bar = runInCell(cell, () => progress({ total: 1000, label: "work", minInterval: 0.05 }));
  for (let i = 0; i < 1000; i++) {
    bar.advance();
    if (i % 250 === 0) await delay(60);
  }
  bar.close();
  bar.advance(); // after close: ignored
  const d = sink.displays();
  assert.ok(d.length >= 3 && d.length <= 10, `sent ${d.length}`);
  assert.equal(bar.sent, d.length);
  assert.equal(d[0]?.update, false);
  const id = d[0]?.content.transient?.display_id;
  assert.ok(id);
  for (const x of d.slice(1)) {
    assert.equal(x.update, true);
    assert.equal(x.content.transient?.display_id, id);
  }
  const last = d.at(-1)?.content.data ?? {};
  assert.match(last["text/plain"] as string, /^work: 100%\|█{24}\| 1000\/1000 \[\d\d:\d\d, .* it\/s\] done$/);
  const html = parseXml(last["text/html"] as string);
  assert.match(html.documentElement?.textContent ?? "", /100% 1000\/1000/);
});

test("the latest count shows up after a pause even without further steps", async () => {
  const { cell, sink } = recordingCell();
  const bar = runInCell(cell, () => progress({ total: 10, minInterval: 0.05 }));
  bar.advance();
  bar.advance();
  await delay(150);
  const texts = sink.displays().map((d) => d.content.data["text/plain"] as string);
  assert.match(texts.at(-1) ?? "", /2\/10/);
  bar.close();
});

test("off outside a kernel: nothing is printed or sent", () => {
  const bar = progress({ total: 3 });
  assert.equal(bar.enabled, false);
  bar.advance(3);
  bar.close();
  assert.equal(bar.sent, 0);
});

test("withProgress closes with the error state when the work fails", async () => {
  const { cell, sink } = recordingCell();
  await assert.rejects(
    runInCell(cell, () =>
      withProgress({ total: 2, label: "x" }, async (bar) => {
        bar.advance();
        throw new Error("broken");
      }),
    ),
    /broken/,
  );
  assert.match(sink.displays().at(-1)?.content.data["text/plain"] as string, / error$/);
});

test("unknown total: count and rate only", () => {
  const { cell, sink } = recordingCell();
  const bar = runInCell(cell, () => progress({ label: "items", minInterval: 0 }));
  bar.advance(5);
  bar.close();
  assert.match(sink.displays().at(-1)?.content.data["text/plain"] as string, /^items: 5 \[00:00, .* it\/s\] done$/);
});

test("a delayed bar stays hidden for quick work and appears for slow work", async () => {
  const quick = recordingCell();
  const q = runInCell(quick.cell, () => progress({ total: 5, delay: 0.3 }));
  q.advance(5);
  q.close();
  await delay(350);
  assert.equal(quick.sink.displays().length, 0);

  const slow = recordingCell();
  const s = runInCell(slow.cell, () => progress({ total: 5, delay: 0.05, minInterval: 0 }));
  s.advance();
  assert.equal(slow.sink.displays().length, 0);
  await delay(120);
  s.advance();
  s.close();
  const texts = slow.sink.displays().map((d) => d.content.data["text/plain"] as string);
  assert.ok(texts.length >= 2, texts.join("\n"));
  assert.match(texts.at(-1) ?? "", /2\/5 .* done$/);
});
