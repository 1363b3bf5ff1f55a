import { test } from "node:test";
import assert from "node:assert/strict";
import { sleep, createTask } from "../../../src/concurrency/asyncio";
import { setTimeScale } from "../../../src/concurrency/time/scale";
import { bounded } from "./helpers";

test("sleep resolves to its result argument", async () => {
  assert.equal(await bounded(sleep(0.001, "value")), "value");
  assert.equal(await bounded(sleep(0)), undefined);
});

test("sleep rejects a negative or non-number duration with a stable code", async () => {
  await assert.rejects(sleep(-1), { code: "ERR_SPINDLE_BAD_DURATION" });
  await assert.rejects(sleep(Number.NaN), { code: "ERR_SPINDLE_BAD_DURATION" });
});

test("sleep(0) yields to the other tasks", async () => {
  const log: string[] = [];
  const a = createTask(async () => {
    log.push("a1");
    await sleep(0);
    log.push("a2");
  });
  const b = createTask(async () => {
    log.push("b1");
    await sleep(0);
    log.push("b2");
  });
  await bounded(Promise.all([a, b]));
  assert.deepEqual(log, ["a1", "b1", "a2", "b2"]);
});

test("SPINDLE_TIME_SCALE scales sleeps: a scaled-down long sleep ends before a plain timer", async () => {
  setTimeScale(0.001);
  try {
    const order: string[] = [];
    const timer = new Promise<void>((r) =>
      setTimeout(() => {
        order.push("timer 200 ms");
        r();
      }, 200),
    );
    await bounded(sleep(10).then(() => order.push("sleep(10) scaled to 10 ms")));
    await bounded(timer);
    assert.deepEqual(order, ["sleep(10) scaled to 10 ms", "timer 200 ms"]);
  } finally {
    setTimeScale(1);
  }
});
