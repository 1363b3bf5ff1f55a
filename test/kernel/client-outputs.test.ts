import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { OutputCollector, outputText, readNotebook, splitLines, writeNotebook } from "../../src/nbformat";
import { MessageFactory } from "../../src/protocol";

const factory = new MessageFactory();
const msg = (type: string, content: Record<string, unknown>) => factory.message(type, content);

test("consecutive stream text of one stream is merged; another stream starts a new output", () => {
  const c = new OutputCollector();
  c.add(msg("stream", { name: "stdout", text: "a\n" }));
  c.add(msg("stream", { name: "stdout", text: "b\n" }));
  c.add(msg("stream", { name: "stderr", text: "e\n" }));
  c.add(msg("stream", { name: "stdout", text: "c\n" }));
  assert.deepEqual(c.outputs, [
    { output_type: "stream", name: "stdout", text: "a\nb\n" },
    { output_type: "stream", name: "stderr", text: "e\n" },
    { output_type: "stream", name: "stdout", text: "c\n" },
  ]);
});

test("clear_output clears at once; with wait, only when the next output arrives", () => {
  const c = new OutputCollector();
  c.add(msg("stream", { name: "stdout", text: "old" }));
  c.add(msg("clear_output", { wait: false }));
  assert.deepEqual(c.outputs, []);
  c.add(msg("stream", { name: "stdout", text: "frame 1" }));
  c.add(msg("clear_output", { wait: true }));
  assert.equal(c.outputs.length, 1, "kept until the next output");
  c.add(msg("display_data", { data: { "text/plain": "frame 2" }, metadata: {} }));
  assert.deepEqual(c.outputs, [{ output_type: "display_data", data: { "text/plain": "frame 2" }, metadata: {} }]);
});

test("update_display_data replaces every output with the same display_id", () => {
  const c = new OutputCollector();
  c.add(msg("display_data", { data: { "text/plain": "0%" }, metadata: {}, transient: { display_id: "bar" } }));
  c.add(msg("display_data", { data: { "text/plain": "other" }, metadata: {}, transient: { display_id: "x" } }));
  c.add(msg("update_display_data", { data: { "text/plain": "100%" }, metadata: {}, transient: { display_id: "bar" } }));
  assert.deepEqual(c.outputs.map(outputText), ["100%\n", "other\n"]);
});

test("outputText: text/plain, tracebacks, and a note for outputs without text", () => {
  assert.equal(
    outputText({ output_type: "error", ename: "E", evalue: "v", traceback: ["line 1", "line 2"] }),
    "line 1\nline 2\n",
  );
  assert.equal(outputText({ output_type: "error", ename: "E", evalue: "v", traceback: [] }), "E: v\n");
  assert.equal(
    outputText({ output_type: "display_data", data: { "image/png": "..." }, metadata: {} }),
    "[image/png]\n",
  );
});

test("notebooks are written as Jupyter writes them: sorted keys, one-space indent, sources as lines", async () => {
  const dir = mkdtempSync(join(tmpdir(), "spindle-nb-"));
  try {
    const path = join(dir, "nb.ipynb");
    await writeNotebook(path, {
      nbformat: 4,
      nbformat_minor: 5,
      metadata: { z: 1, a: 2 },
      cells: [
        {
          cell_type: "code",
          source: "a\nb",
          metadata: {},
          execution_count: 1,
          outputs: [{ output_type: "stream", name: "stdout", text: "x\ny\n" }],
        },
      ],
    });
    const text = readFileSync(path, "utf8");
    assert.match(text, /^\{\n "cells": \[/);
    const raw = JSON.parse(text);
    assert.deepEqual(Object.keys(raw.metadata), ["a", "z"]);
    assert.deepEqual(raw.cells[0].source, ["a\n", "b"]);
    assert.deepEqual(raw.cells[0].outputs[0].text, ["x\n", "y\n"]);
    const back = await readNotebook(path);
    assert.equal(back.cells[0]!.source, "a\nb");
    assert.deepEqual(splitLines(""), []);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
