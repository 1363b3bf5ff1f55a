import { test } from "node:test";
import assert from "node:assert/strict";
import { OutputCollector } from "../../src/nbformat/outputs";

test("outputs are stored as a Jupyter frontend stores them", () => {
  const c = new OutputCollector();
  c.add({ msg_type: "stream", content: { name: "stdout", text: "a\n" } });
  c.add({ msg_type: "stream", content: { name: "stdout", text: "b\n" } });
  c.add({ msg_type: "stream", content: { name: "stderr", text: "w\n" } });
  c.add({
    msg_type: "display_data",
    content: { data: { "text/plain": "0%" }, metadata: {}, transient: { display_id: "p" } },
  });
  c.add({
    msg_type: "update_display_data",
    content: { data: { "text/plain": "100%" }, metadata: {}, transient: { display_id: "p" } },
  });
  assert.deepEqual(c.outputs, [
    { output_type: "stream", name: "stdout", text: "a\nb\n" },
    { output_type: "stream", name: "stderr", text: "w\n" },
    { output_type: "display_data", data: { "text/plain": "100%" }, metadata: {} },
  ]);
  c.add({ msg_type: "clear_output", content: { wait: true } });
  assert.equal(c.outputs.length, 3, "clear_output(wait) waits for the next output");
  c.add({ msg_type: "execute_result", content: { data: { "text/plain": "2" }, metadata: {}, execution_count: 4 } });
  assert.deepEqual(c.outputs, [
    { output_type: "execute_result", data: { "text/plain": "2" }, metadata: {}, execution_count: 4 },
  ]);
  c.add({ msg_type: "error", content: { ename: "E", evalue: "v", traceback: ["t"] } });
  c.add({ msg_type: "clear_output", content: { wait: false } });
  assert.deepEqual(c.outputs, []);
});
