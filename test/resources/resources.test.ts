/** runtime/resources: CPU quota and memory limit from the environment and fake cgroup trees. */
import { test, after } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { getHeapStatistics } from "node:v8";
import { CellContext, type OutputSink } from "../../src/runtime/cell-context";
import {
  childHeapArgs,
  cpuQuota,
  defaultSpareCount,
  memoryLimit,
  parseCpuMax,
  parseMemory,
  warnIfOverQuota,
  workerHeapMb,
  workerResourceLimits,
} from "../../src/runtime/resources";

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "spindle-resources-"));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));
let roots = 0;

/** A fake filesystem root: `files` maps paths (relative to the root) to contents. */
function fakeRoot(files: Record<string, string>): string {
  const root = path.join(tmp, `root-${++roots}`);
  for (const [rel, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    fs.writeFileSync(path.join(root, rel), text);
  }
  return root;
}

const none = fakeRoot({ "proc/self/cgroup": "0::/\n" });
const MB = 1024 * 1024;

function recordingCell(): { cell: CellContext; text: () => string } {
  let text = "";
  const sink: OutputSink = {
    stream: (name, t) => (text += `[${name}]${t}`),
    display: () => undefined,
    clearOutput: () => undefined,
    input: async () => "",
  };
  return { cell: new CellContext("warn-cell", 1, sink), text: () => text };
}

test("cpu.max and memory sizes parse", () => {
  assert.equal(parseCpuMax("max 100000"), undefined);
  assert.equal(parseCpuMax("150000 100000\n"), 1.5);
  assert.equal(parseCpuMax("garbage"), undefined);
  assert.equal(parseMemory("1073741824"), 1024 * MB);
  assert.equal(parseMemory("512M"), 512 * MB);
  assert.equal(parseMemory("1.5G"), 1536 * MB);
  assert.equal(parseMemory("2Gi"), 2048 * MB);
  assert.equal(parseMemory("64kb"), 64 * 1024);
  assert.equal(parseMemory("lots"), undefined);
  assert.equal(parseMemory(""), undefined);
  assert.equal(parseMemory("0"), undefined);
});

test("CPU_LIMIT wins, is rounded down, at least 1, at most the hardware", () => {
  const q = cpuQuota({ env: { CPU_LIMIT: "1.5" }, root: none, hardware: 8 });
  assert.deepEqual(q, { count: 1, cpus: 1.5, source: "CPU_LIMIT", hardware: 8 });
  assert.equal(cpuQuota({ env: { CPU_LIMIT: "0.25" }, root: none, hardware: 8 }).count, 1);
  assert.equal(cpuQuota({ env: { CPU_LIMIT: "64" }, root: none, hardware: 8 }).count, 8);
  assert.deepEqual(cpuQuota({ env: { CPU_LIMIT: "nonsense" }, root: none, hardware: 8 }), {
    count: 8,
    cpus: 8,
    source: "cores",
    hardware: 8,
  });
  assert.equal(cpuQuota({ env: {}, root: none, hardware: 3 }).source, "cores");
});

test("cgroup v2: cpu.max of the process's cgroup or the smallest of its ancestors", () => {
  const root = fakeRoot({
    "proc/self/cgroup": "0::/kubepods/pod1/container\n",
    "sys/fs/cgroup/kubepods/pod1/container/cpu.max": "max 100000\n",
    "sys/fs/cgroup/kubepods/pod1/cpu.max": "250000 100000\n",
    "sys/fs/cgroup/kubepods/cpu.max": "400000 100000\n",
  });
  assert.deepEqual(cpuQuota({ env: {}, root, hardware: 16 }), {
    count: 2,
    cpus: 2.5,
    source: "cgroup v2 cpu.max",
    hardware: 16,
  });
  // CPU_LIMIT still comes first.
  assert.equal(cpuQuota({ env: { CPU_LIMIT: "1" }, root, hardware: 16 }).source, "CPU_LIMIT");
  // A container with its own cgroup namespace sees "/" and the file at the mount.
  const ns = fakeRoot({ "proc/self/cgroup": "0::/\n", "sys/fs/cgroup/cpu.max": "100000 100000\n" });
  assert.equal(cpuQuota({ env: {}, root: ns, hardware: 16 }).count, 1);
});

test("cgroup v1: the CFS quota of the cpu controller (joint cpu,cpuacct mount); -1 is no quota", () => {
  const root = fakeRoot({
    "proc/self/cgroup": "4:memory:/docker/abc\n3:cpu,cpuacct:/docker/abc\n0::/\n",
    "sys/fs/cgroup/cpu,cpuacct/docker/abc/cpu.cfs_quota_us": "300000\n",
    "sys/fs/cgroup/cpu,cpuacct/docker/abc/cpu.cfs_period_us": "100000\n",
    "sys/fs/cgroup/memory/docker/abc/memory.limit_in_bytes": `${512 * MB}\n`,
  });
  assert.deepEqual(cpuQuota({ env: {}, root, hardware: 16 }), {
    count: 3,
    cpus: 3,
    source: "cgroup v1 cpu.cfs_quota_us",
    hardware: 16,
  });
  assert.deepEqual(memoryLimit({ env: {}, root }), { bytes: 512 * MB, source: "cgroup v1 memory.limit_in_bytes" });
  const unlimited = fakeRoot({
    "proc/self/cgroup": "2:memory:/\n1:cpu:/\n",
    "sys/fs/cgroup/cpu/cpu.cfs_quota_us": "-1\n",
    "sys/fs/cgroup/cpu/cpu.cfs_period_us": "100000\n",
    "sys/fs/cgroup/memory/memory.limit_in_bytes": "9223372036854771712\n",
  });
  assert.equal(cpuQuota({ env: {}, root: unlimited, hardware: 4 }).source, "cores");
  assert.deepEqual(memoryLimit({ env: {}, root: unlimited }), { bytes: undefined, source: "none" });
});

test("memory: MEM_LIMIT first, then cgroup v2 memory.max ('max' is none)", () => {
  const root = fakeRoot({
    "proc/self/cgroup": "0::/user/student\n",
    "sys/fs/cgroup/user/student/memory.max": "max\n",
    "sys/fs/cgroup/user/memory.max": `${2048 * MB}\n`,
  });
  assert.deepEqual(memoryLimit({ env: {}, root }), { bytes: 2048 * MB, source: "cgroup v2 memory.max" });
  assert.deepEqual(memoryLimit({ env: { MEM_LIMIT: "1G" }, root }), { bytes: 1024 * MB, source: "MEM_LIMIT" });
  assert.deepEqual(memoryLimit({ env: {}, root: none }), { bytes: undefined, source: "none" });
});

test("worker heap caps: half the memory limit, never above V8's default; SPINDLE_WORKER_HEAP_MB overrides", () => {
  const v8Default = Math.floor(getHeapStatistics().heap_size_limit / MB);
  assert.equal(workerHeapMb({ env: {}, root: none }), undefined);
  assert.equal(workerResourceLimits({ env: {}, root: none }), undefined);
  assert.deepEqual(childHeapArgs({ env: {}, root: none }), []);
  assert.equal(workerHeapMb({ env: { MEM_LIMIT: "512M" }, root: none }), Math.min(256, v8Default));
  assert.deepEqual(workerResourceLimits({ env: { MEM_LIMIT: "512M" }, root: none }), {
    maxOldGenerationSizeMb: Math.min(256, v8Default),
  });
  assert.deepEqual(childHeapArgs({ env: { MEM_LIMIT: "512M" }, root: none }), [
    `--max-old-space-size=${Math.min(256, v8Default)}`,
  ]);
  assert.equal(workerHeapMb({ env: { MEM_LIMIT: String(1024 * 1024 * MB) }, root: none }), v8Default);
  assert.equal(workerHeapMb({ env: { MEM_LIMIT: "512M", SPINDLE_WORKER_HEAP_MB: "100" }, root: none }), 100);
  assert.equal(workerHeapMb({ env: { MEM_LIMIT: "512M", SPINDLE_WORKER_HEAP_MB: "0" }, root: none }), undefined);
  assert.equal(
    workerHeapMb({ env: { MEM_LIMIT: "8M" }, root: none }),
    16,
    "a tiny limit still leaves a heap that can start",
  );
});

test("spare workers: 2, or 1 under a quota of 1 CPU", () => {
  assert.equal(defaultSpareCount({ env: { CPU_LIMIT: "1" }, root: none, hardware: 8 }), 1);
  assert.equal(defaultSpareCount({ env: { CPU_LIMIT: "4" }, root: none, hardware: 8 }), 2);
  assert.equal(defaultSpareCount({ env: {}, root: none, hardware: 1 }), 1);
});

test("asking for more workers than the quota warns once in the cell; within the quota or without a quota it does not", () => {
  const { cell, text } = recordingCell();
  const quota2 = { env: { CPU_LIMIT: "2" }, root: none, hardware: 8 };
  assert.equal(warnIfOverQuota(2, "Pool(2)", cell, quota2), false);
  assert.equal(text(), "");
  assert.equal(warnIfOverQuota(8, "Pool(8)", cell, quota2), true);
  assert.match(
    text(),
    /^\[stderr\]Warning: Pool\(8\) asks for 8 workers, but this server's CPU quota is 2 \(CPU_LIMIT=2\)\./,
  );
  assert.match(text(), /cpuCount\(\) = 2/);
  const once = text();
  assert.equal(warnIfOverQuota(8, "Pool(8)", cell, quota2), false);
  assert.equal(text(), once);
  assert.equal(warnIfOverQuota(8, "ThreadPool(8)", cell, quota2), true);
  const other = recordingCell();
  assert.equal(warnIfOverQuota(8, "Pool(8)", other.cell, quota2), true, "each cell gets its own warning");
  assert.equal(
    warnIfOverQuota(64, "Pool(64)", other.cell, { env: {}, root: none, hardware: 2 }),
    false,
    "no quota, no warning",
  );
});
