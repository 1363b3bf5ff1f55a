/**
 * deploy/'s Kubernetes files say what the README says: the Helm values give students the
 * limits Spindle sizes pools by, and the grading Jobs' shell commands expand, for every
 * completion index, into `spindle grade` lines that cover shards 1..n once each and merge them.
 * The commands run in bash with `spindle` replaced by a function that records its arguments.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseShard } from "../../src/grader/reports/shard";
import { cpuQuota, parseMemory, workerHeapMb } from "../../src/runtime/resources";

const DEPLOY = path.join(__dirname, "..", "..", "..", "deploy");

/** A YAML file (all its documents) as plain data, parsed by Python's yaml (Debian's python3-yaml). */
function readYaml(file: string): unknown[] {
  const code = "import json, sys, yaml\nprint(json.dumps(list(yaml.safe_load_all(open(sys.argv[1])))))";
  return JSON.parse(
    execFileSync("/usr/bin/python3", ["-c", code, path.join(DEPLOY, file)], { encoding: "utf8", timeout: 60_000 }),
  ) as unknown[];
}

interface Container {
  image: string;
  command: string[];
  args: string[];
}
interface JobDoc {
  kind: string;
  spec: {
    completionMode?: string;
    completions?: number;
    parallelism?: number;
    template: { spec: { containers: Container[] } };
  };
}

/** Runs a container's `command` + `args` in bash with `spindle` recording its arguments; returns them and the exit code. */
function runWithShim(
  container: Container,
  env: Record<string, string>,
  shimExit = 0,
): { argv: string[]; code: number | null } {
  assert.deepEqual(container.command.slice(0, 1), ["bash"]);
  const flags = container.command.slice(1);
  const script = `spindle() { printf '%s\\n' "$@" > "$SHIM_OUT"; return ${shimExit}; }\n${container.args.join(" ")}`;
  const out = path.join(os.tmpdir(), `spindle-shim-${process.pid}-${Math.random().toString(36).slice(2)}`);
  const r = spawnSync("bash", [...flags, script], {
    env: { PATH: process.env.PATH ?? "", SHIM_OUT: out, ...env },
    encoding: "utf8",
    timeout: 30_000,
  });
  let argv: string[] = [];
  try {
    argv = fs.readFileSync(out, "utf8").trimEnd().split("\n");
    fs.rmSync(out);
  } catch {
    // The shim never ran.
  }
  return { argv, code: r.status };
}

function option(argv: string[], name: string): string | undefined {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
}

test("Helm values: the student limits become CPU_LIMIT / MEM_LIMIT that size Spindle's pools and heaps", () => {
  const [values] = readYaml("values.yaml") as [
    {
      singleuser: {
        image: { name: string; tag: string };
        cpu: { limit: number };
        memory: { limit: string };
        extraFiles: Record<string, { mountPath: string; data: Record<string, Record<string, unknown>> }>;
      };
      cull: { enabled: boolean; timeout: number };
    },
  ];
  assert.match(values.singleuser.image.name, /spindle-singleuser$/);
  assert.ok(values.singleuser.image.tag);
  // KubeSpawner passes the limits as they are set: CPU_LIMIT as a float, MEM_LIMIT in bytes (G = 1024³).
  const env = {
    CPU_LIMIT: String(values.singleuser.cpu.limit),
    MEM_LIMIT: String(parseMemory(values.singleuser.memory.limit)),
  };
  assert.equal(cpuQuota({ env, hardware: 64 }).count, Math.max(1, Math.floor(values.singleuser.cpu.limit)));
  assert.equal(
    workerHeapMb({ env }),
    Math.min(
      Math.floor(parseMemory(values.singleuser.memory.limit)! / 2 / 1024 / 1024),
      workerHeapMb({ env: { MEM_LIMIT: "1T" } })!,
    ),
  );
  assert.equal(values.cull.enabled, true);
  const culling = Object.values(values.singleuser.extraFiles).find((f) =>
    f.mountPath.endsWith("jupyter_server_config.json"),
  );
  assert.ok(culling?.data.MappingKernelManager?.cull_idle_timeout, "kernels are culled when idle");
});

test("grading Job: every completion index grades its own shard, together all of them once; rejects do not fail the pod", () => {
  const docs = readYaml("grading-job.yaml") as JobDoc[];
  assert.equal(docs.length, 1);
  const job = docs[0]!;
  assert.equal(job.kind, "Job");
  assert.equal(job.spec.completionMode, "Indexed");
  const n = job.spec.completions!;
  assert.ok(n >= 2);
  const container = job.spec.template.spec.containers[0]!;
  assert.match(container.image, /spindle-singleuser/);
  const shards: string[] = [];
  let out: string | undefined;
  for (let index = 0; index < n; index++) {
    const { argv, code } = runWithShim(container, { JOB_COMPLETION_INDEX: String(index) });
    assert.equal(code, 0);
    assert.equal(argv[0], "grade");
    assert.ok(option(argv, "--source")?.endsWith(".ipynb"));
    out ??= option(argv, "--out");
    assert.equal(option(argv, "--out"), out, "all shards write to one folder");
    const shard = option(argv, "--shard")!;
    assert.deepEqual(parseShard(shard), { index: index + 1, count: n });
    shards.push(shard);
  }
  assert.equal(new Set(shards).size, n);
  assert.equal(
    runWithShim(container, { JOB_COMPLETION_INDEX: "0" }, 1).code,
    0,
    "exit 1 (some submissions rejected) completes the shard",
  );
  assert.notEqual(runWithShim(container, { JOB_COMPLETION_INDEX: "0" }, 2).code, 0, "a usage error fails it");

  const [merge] = readYaml("grading-merge-job.yaml") as JobDoc[];
  const { argv, code } = runWithShim(merge!.spec.template.spec.containers[0]!, {});
  assert.equal(code, 0);
  assert.deepEqual(argv.slice(0, 2), ["grade", "--merge"]);
  assert.equal(option(argv, "--out"), out, "the merge writes grades.csv beside the shards' feedback");
  assert.ok(
    argv.some((a) => a.endsWith(`grades-*-of-${n}.csv`)),
    `merges the ${n} shard files: ${argv.join(" ")}`,
  );
});
