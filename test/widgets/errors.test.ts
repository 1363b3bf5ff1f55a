import { test } from "node:test";
import assert from "node:assert/strict";
import { Worker } from "node:worker_threads";
import { CommError } from "../../src/comm";
import { deserializeError, serializeError, SpindleError, type SerializedError } from "../../src/errors";
import { WidgetError } from "../../src/widgets";

const table: Array<[string, () => SpindleError, string, RegExp]> = [
  [
    "CommError",
    () => new CommError("Comm 1 (t) is closed; open a new comm to send more."),
    "ERR_SPINDLE_COMM",
    /open a new comm/,
  ],
  [
    "WidgetError",
    () => new WidgetError('IntSlider has no property "vaule"; it has: value.'),
    "ERR_SPINDLE_WIDGET",
    /it has: value/,
  ],
];

for (const [name, make, code, message] of table) {
  test(`${name}: name, code, message, instanceof`, () => {
    const err = make();
    assert.equal(err.name, name);
    assert.equal(err.code, code);
    assert.match(err.message, message);
    assert.ok(err instanceof SpindleError);
  });
}

test("comm and widget errors keep their class after a round trip through a worker", async () => {
  const sent = table.map(([, make]) => serializeError(make()));
  const echoed = await new Promise<SerializedError[]>((resolve, reject) => {
    const w = new Worker(
      "require('node:worker_threads').parentPort.once('message', (m) => require('node:worker_threads').parentPort.postMessage(m));",
      { eval: true },
    );
    const timer = setTimeout(() => {
      void w.terminate();
      reject(new Error("the worker did not answer within 10 s"));
    }, 10_000);
    w.once("message", (m: SerializedError[]) => {
      clearTimeout(timer);
      resolve(m);
      void w.terminate();
    });
    w.once("error", reject);
    w.postMessage(sent);
  });
  const [c, w] = echoed.map(deserializeError);
  assert.ok(c instanceof CommError && c.code === "ERR_SPINDLE_COMM");
  assert.ok(w instanceof WidgetError && /vaule/.test(w.message));
});
