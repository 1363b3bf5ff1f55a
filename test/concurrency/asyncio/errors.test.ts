import { test } from "node:test";
import assert from "node:assert/strict";
import { Worker } from "node:worker_threads";
import {
  CancelledError,
  TimeoutError,
  InvalidStateError,
  QueueEmpty,
  QueueFull,
  RuntimeError,
  ValueError,
  ExceptionGroup,
} from "../../../src/concurrency/asyncio";
import { SpindleError, serializeError, deserializeError, type SerializedError } from "../../../src/errors";
import { bounded } from "./helpers";

const table: Array<[string, () => SpindleError, string, RegExp]> = [
  ["CancelledError", () => new CancelledError(), "ERR_SPINDLE_CANCELLED", /rethrow/],
  ["TimeoutError", () => new TimeoutError("waited 1 s; raise the timeout"), "ERR_SPINDLE_TIMEOUT", /raise the timeout/],
  ["InvalidStateError", () => new InvalidStateError("not done; await it"), "ERR_SPINDLE_INVALID_STATE", /await/],
  ["QueueEmpty", () => new QueueEmpty(), "ERR_SPINDLE_QUEUE_EMPTY", /await queue.get/],
  ["QueueFull", () => new QueueFull(), "ERR_SPINDLE_QUEUE_FULL", /await queue.put/],
  [
    "RuntimeError",
    () => new RuntimeError("misuse", "ERR_SPINDLE_LOCK_NOT_HELD"),
    "ERR_SPINDLE_LOCK_NOT_HELD",
    /misuse/,
  ],
  ["ValueError", () => new ValueError("bad value"), "ERR_SPINDLE_VALUE", /bad value/],
  [
    "ExceptionGroup",
    () => new ExceptionGroup("errors in a group", [new Error("a")]),
    "ERR_SPINDLE_EXCEPTION_GROUP",
    /1 sub-exception: Error: a/,
  ],
];

for (const [name, make, code, message] of table) {
  test(`${name}: name, code, message, instanceof`, () => {
    const err = make();
    assert.equal(err.name, name);
    assert.equal(err.code, code);
    assert.match(err.message, message);
    assert.ok(err instanceof SpindleError);
    assert.ok(err instanceof Error);
  });
}

test("asyncio errors keep their class after a round trip through a worker", async () => {
  const sent = [new CancelledError("stopped"), new QueueEmpty(), new QueueFull(), new InvalidStateError("state")].map(
    serializeError,
  );
  const echoed = await bounded(
    new Promise<SerializedError[]>((resolve, reject) => {
      const w = new Worker(
        "require('node:worker_threads').parentPort.once('message', (m) => require('node:worker_threads').parentPort.postMessage(m));",
        { eval: true },
      );
      w.once("message", (m: SerializedError[]) => {
        resolve(m);
        void w.terminate();
      });
      w.once("error", reject);
      w.postMessage(sent);
    }),
    10_000,
  );
  const [c, e, f, s] = echoed.map(deserializeError);
  assert.ok(
    c instanceof CancelledError && c.message === "stopped" && (c as CancelledError).code === "ERR_SPINDLE_CANCELLED",
  );
  assert.ok(e instanceof QueueEmpty);
  assert.ok(f instanceof QueueFull);
  assert.ok(s instanceof InvalidStateError);
});
