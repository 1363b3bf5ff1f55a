/**
 * notebooks/04-coroutines.ipynb end to end through a real executor process,
 * with a small SPINDLE_TIME_SCALE: every section 4.1–4.6 has a heading and a
 * code cell with output, no cell fails, and the notebook's claims hold.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import path from "node:path";
import { runNotebook, type CellRun } from "./notebook-runner";

const NOTEBOOK = path.join(__dirname, "..", "..", "..", "..", "notebooks", "04-coroutines.ipynb");

test("04-coroutines runs end to end and shows what it claims", { timeout: 600_000 }, async () => {
  const runs: CellRun[] = await runNotebook(NOTEBOOK, 0.05);
  const failed = runs.filter((r) => r.reply.status !== "ok" || r.outputs.some((o) => o.msgType === "error"));
  assert.deepEqual(failed.map((r) => `[${r.section}] ${r.text.slice(0, 500)}\n${r.source.slice(0, 200)}`), []);

  for (const n of [1, 2, 3, 4, 5, 6]) {
    const inSection = runs.filter((r) => r.section?.startsWith(`4.${n} `));
    assert.ok(inSection.length > 0, `section 4.${n} has a heading and code cells`);
    assert.ok(inSection.some((r) => r.outputs.length > 0), `section 4.${n} has a code cell with output`);
  }

  const all = runs.map((r) => r.text).join("\n");
  // 4.1: the cook chopped while the kettle waited.
  assert.ok(all.indexOf("cook: chopping the carrot") < all.indexOf("kettle: boiling"));
  // 4.2: local state survived both pauses.
  assert.match(all, /next\(3\)\s+-> \{ value: 33, done: true \}/);
  // 4.5: switching interleaves the two jobs.
  assert.match(all, /Lisbon: line 0\n\s+Oslo: line 0\n\s+Lisbon: line 1/);
  // 4.6: gather overlapped the waits, so its requests were all sent before any reply came back.
  assert.match(all, /a: request sent\n\s+b: request sent\n\s+c: request sent\n\s+a: reply received/);
});
