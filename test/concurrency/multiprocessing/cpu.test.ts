import { test } from "node:test";
import assert from "node:assert/strict";
import { availableParallelism } from "node:os";
import { parseCpuMax, cpuCount } from "../../../src/runtime/resources";

test("cpu.max lines parse into CPU counts", () => {
  assert.equal(parseCpuMax("max 100000"), undefined);
  assert.equal(parseCpuMax("150000 100000\n"), 1.5);
  assert.equal(parseCpuMax("200000 100000"), 2);
  assert.equal(parseCpuMax("garbage"), undefined);
});

test("CPU_LIMIT wins, rounded down, at least 1, at most the hardware", () => {
  const hw = availableParallelism();
  assert.equal(cpuCount({ CPU_LIMIT: "1" }), 1);
  assert.equal(cpuCount({ CPU_LIMIT: "0.5" }), 1);
  assert.equal(cpuCount({ CPU_LIMIT: "1000" }), hw);
  assert.ok(cpuCount({}) >= 1 && cpuCount({}) <= hw);
  assert.equal(cpuCount({ CPU_LIMIT: "nonsense" }), cpuCount({}));
});
