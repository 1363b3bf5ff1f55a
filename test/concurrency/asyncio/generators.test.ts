import { test } from "node:test";
import assert from "node:assert/strict";
import { runGenerators, blockingSleep, sleep, type SwitchRecord } from "../../../src/concurrency/asyncio";
import { anyOverlap, bounded, type Interval } from "./helpers";

test("bare yields switch round-robin and return values come back in order", async () => {
  const log: string[] = [];
  function* worker(name: string, n: number): Generator<unknown, string, unknown> {
    for (let i = 0; i < n; i++) {
      log.push(`${name}${i}`);
      yield;
    }
    return `${name} done`;
  }
  const results = await bounded(runGenerators([worker("a", 3), worker("b", 2)]));
  assert.deepEqual(results, ["a done", "b done"]);
  assert.deepEqual(log, ["a0", "b0", "a1", "b1", "a2"]);
});

test("switching alone saves no waiting: blocking waits between yields never overlap", async () => {
  const waits: Interval[] = [];
  function* worker(): Generator<unknown, void, unknown> {
    for (let i = 0; i < 3; i++) {
      yield;
      const start = performance.now();
      blockingSleep(0.01);
      waits.push([start, performance.now()]);
    }
  }
  const t0 = performance.now();
  await bounded(runGenerators([worker(), worker()]));
  const elapsed = performance.now() - t0;
  assert.equal(waits.length, 6);
  assert.equal(anyOverlap(waits), false, "each blocking wait holds the thread: they ran one after another");
  // A lower bound, not a speed claim: six serial waits of 10 ms cannot take less than their sum.
  assert.ok(elapsed >= 6 * 10 - 1, `elapsed ${elapsed} ms`);
});

test("yielding a promise parks the generator and lets the others run: waits overlap", async () => {
  const waits: Interval[] = [];
  function* worker(): Generator<unknown, string, unknown> {
    const start = performance.now();
    const value = yield sleep(0.05, "woke");
    waits.push([start, performance.now()]);
    return value as string;
  }
  const results = await bounded(runGenerators([worker(), worker(), worker()]));
  assert.deepEqual(results, ["woke", "woke", "woke"]);
  assert.equal(anyOverlap(waits), true);
  const latestStart = Math.max(...waits.map((w) => w[0]));
  const earliestEnd = Math.min(...waits.map((w) => w[1]));
  assert.ok(latestStart < earliestEnd, "all three were waiting at the same time");
});

test("a rejected promise is thrown into the generator; onStep sees every step", async () => {
  const steps: SwitchRecord[] = [];
  function* careful(): Generator<unknown, string, unknown> {
    try {
      yield Promise.reject(new Error("io failed"));
      return "no error?";
    } catch (e) {
      return `caught ${(e as Error).message}`;
    }
  }
  const [r] = await bounded(runGenerators([careful()], { onStep: (s) => steps.push(s) }));
  assert.equal(r, "caught io failed");
  assert.equal(steps.length, 2);
  assert.ok(steps.every((s) => s.index === 0 && s.ran >= 0));
});

test("an uncaught error in a generator rejects runGenerators", async () => {
  function* bad(): Generator<unknown, void, unknown> {
    yield;
    throw new TypeError("broken");
  }
  await bounded(assert.rejects(runGenerators([bad()]), TypeError));
});

test("blockingSleep validates its duration", () => {
  assert.throws(() => blockingSleep(-1), { code: "ERR_SPINDLE_BAD_DURATION" });
});
