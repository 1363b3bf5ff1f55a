/**
 * Spindle installed the way a user who never cloned the repository installs
 * it: `npm pack`, `npm install -g` of the tarball into a temporary prefix with
 * install scripts disabled, `spindle install --prefix`, and a notebook run by
 * Jupyter's own `jupyter nbconvert --execute` with that kernelspec. The first
 * kernel finds no start-up snapshot and has one built in the background; the
 * second starts from it.
 */
import assert from "node:assert/strict";
import { execFile, execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, test } from "node:test";
import { promisify } from "node:util";

const run = promisify(execFile);
const ROOT = path.join(__dirname, "..", "..", "..");
const JUPYTER = "/usr/bin/jupyter";
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "spindle-package-"));
after(() => fs.rmSync(scratch, { recursive: true, force: true }));

/** This process's environment minus the variables of an enclosing `npm test`, plus npm's cache for offline installs. */
function cleanEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (k === "NODE_TEST_CONTEXT" || (k.startsWith("npm_") && !k.startsWith("npm_config_"))) continue;
    if (k === "npm_config_global" || k === "npm_config_prefix" || k === "npm_config_local_prefix") continue;
    env[k] = v;
  }
  let cache = path.join(os.homedir(), ".npm");
  try {
    cache = execFileSync("npm", ["config", "get", "cache"], { encoding: "utf8", timeout: 30_000 }).trim();
  } catch {
    // npm's default cache.
  }
  return {
    ...env,
    npm_config_cache: cache,
    npm_config_prefer_offline: "true",
    npm_config_update_notifier: "false",
    npm_config_fund: "false",
    npm_config_audit: "false",
  };
}

function notebookJson(cells: string[]): string {
  return JSON.stringify({
    nbformat: 4,
    nbformat_minor: 5,
    metadata: { kernelspec: { name: "spindle", display_name: "TypeScript (Spindle)", language: "typescript" } },
    cells: cells.map((source, i) => ({
      cell_type: "code",
      id: `c${i}`,
      metadata: {},
      execution_count: null,
      outputs: [],
      source,
    })),
  });
}

interface Output {
  output_type: string;
  text?: string | string[];
  data?: Record<string, string | string[]>;
  ename?: string;
}

function outputsOf(file: string): Output[][] {
  const nb = JSON.parse(fs.readFileSync(file, "utf8")) as { cells: { outputs: Output[] }[] };
  return nb.cells.map((c) => c.outputs);
}

const join = (t: string | string[] | undefined): string => (Array.isArray(t) ? t.join("") : (t ?? ""));

test("npm pack → npm install -g → spindle install --prefix → jupyter nbconvert --execute, without a checkout", {
  timeout: 600_000,
}, async () => {
  const env = cleanEnv();
  const timings: string[] = [];
  const timed = async <T>(what: string, work: () => Promise<T>): Promise<T> => {
    const t0 = Date.now();
    try {
      return await work();
    } finally {
      timings.push(`${what} ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    }
  };

  // The tarball holds the built code, the kernelspec template, docs and notebooks — and nothing of the checkout's tests.
  // (--ignore-scripts: prepack's clean build would delete the dist/ this test runs from; `npm test` has just built it.)
  const packed = await timed("npm pack", () =>
    run("npm", ["pack", "--json", "--ignore-scripts", "--pack-destination", scratch, ROOT], { env, timeout: 120_000 }),
  );
  const info = (JSON.parse(packed.stdout) as { filename: string; files: { path: string }[] }[])[0]!;
  const files = info.files.map((f) => f.path);
  for (const f of [
    "bin/spindle.js",
    "dist/src/cli/main.js",
    "dist/src/concurrency/threading/index.d.ts",
    "dist/src/executor/snapshot/build.js",
    "kernel/kernel.json",
    "kernel/logo-64x64.png",
    "package.json",
    "README.md",
  ]) {
    assert.ok(files.includes(f), `${f} is in the package`);
  }
  for (const f of files) {
    assert.doesNotMatch(
      f,
      /^(dist\/(test|bench)\/|src\/|test\/|dist\/executor\.blob|notebooks\/assignments\/source\/)|\.map$|\.out\.ipynb$|tsbuildinfo/,
      `${f} is not in the package`,
    );
  }

  // Install scripts disabled, as on machines that forbid them: nothing may depend on them.
  const prefix = path.join(scratch, "global");
  await timed("npm install -g", () =>
    run(
      "npm",
      [
        "install",
        "-g",
        "--prefix",
        prefix,
        "--ignore-scripts",
        "--no-audit",
        "--no-fund",
        path.join(scratch, info.filename),
      ],
      { env, timeout: 300_000 },
    ),
  );
  const spindle = path.join(prefix, "bin", "spindle");
  const installed = path.join(prefix, "lib", "node_modules", "spindle");
  assert.ok(
    fs.existsSync(path.join(installed, "node_modules", "typescript", "package.json")),
    "runtime dependencies come with it",
  );
  assert.ok(!fs.existsSync(path.join(installed, "node_modules", "playwright-core")), "development dependencies do not");

  const jupyterPrefix = path.join(scratch, "jupyter");
  const kernelEnv: NodeJS.ProcessEnv = {
    ...env,
    JUPYTER_PATH: path.join(jupyterPrefix, "share", "jupyter"),
    SPINDLE_CACHE_DIR: path.join(scratch, "cache"),
  };
  const inst = await timed("spindle install", () =>
    run(spindle, ["install", "--prefix", jupyterPrefix], { env: kernelEnv, timeout: 60_000 }),
  );
  assert.match(inst.stdout, /Installed kernelspec spindle in /);
  const spec = JSON.parse(
    fs.readFileSync(path.join(jupyterPrefix, "share", "jupyter", "kernels", "spindle", "kernel.json"), "utf8"),
  ) as { argv: string[] };
  assert.equal(
    spec.argv[1],
    path.join(installed, "bin", "spindle.js"),
    "the kernelspec runs the installed package, not the checkout",
  );

  const nbDir = path.join(scratch, "work");
  fs.mkdirSync(nbDir);
  const nb = path.join(nbDir, "check.ipynb");
  fs.writeFileSync(
    nb,
    notebookJson([
      "import { Thread } from 'spindle/threading';\nconst t = new Thread({ target: () => console.log('in a thread') });\nt.start();\nawait t.join();",
      "!echo from the shell\nconst files = !ls\nfiles",
      "const n: number = 6 * 7;\nn",
    ]),
  );
  const nbconvert = (out: string): Promise<{ stdout: string; stderr: string }> =>
    run(
      JUPYTER,
      ["nbconvert", "--to", "notebook", "--execute", "--ExecutePreprocessor.timeout=120", nb, "--output", out],
      { cwd: nbDir, env: kernelEnv, timeout: 300_000 },
    );

  // First use: no snapshot yet. The kernel says so in one line, works without it, and builds one for later.
  assert.equal(fs.existsSync(path.join(installed, "dist", "executor.blob")), false);
  const first = await timed("nbconvert (first start)", () => nbconvert(path.join(nbDir, "first.ipynb")));
  assert.match(
    first.stderr,
    /the executor start-up snapshot is missing for Node v\d+.*: this kernel starts without it, and one is being built in \S+executor\.blob for the next start/,
  );
  const outputs = outputsOf(path.join(nbDir, "first.ipynb"));
  assert.equal(join(outputs[0]?.[0]?.text), "in a thread\n");
  assert.equal(join(outputs[1]?.[0]?.text), "from the shell\n");
  assert.equal(join(outputs[1]?.[1]?.data?.["text/plain"]), "[ 'check.ipynb' ]");
  assert.equal(join(outputs[2]?.[0]?.data?.["text/plain"]), "42");

  // The detached build finishes on its own; doctor then reports the snapshot current.
  const deadline = Date.now() + 180_000;
  let doctor = "";
  await timed("snapshot build (waited for)", async () => {
    for (;;) {
      doctor = (
        await run(spindle, ["doctor", "--no-round-trip", "--no-jupyter"], { env: kernelEnv, timeout: 60_000 }).catch(
          (e: { stdout?: string }) => ({ stdout: e.stdout ?? "" }),
        )
      ).stdout;
      if (
        /executor snapshot \S+: up to date/.test(doctor) &&
        !fs.existsSync(path.join(installed, "dist", "executor.blob.lock"))
      )
        break;
      assert.ok(Date.now() < deadline, `the snapshot was not built in time:\n${doctor}`);
      await new Promise((r) => setTimeout(r, 500));
    }
  });
  assert.match(doctor, /ok {4}executor snapshot dist\/executor\.blob: up to date for Node v\d+/);

  // Second start: from the snapshot, so no notice.
  const second = await timed("nbconvert (from the snapshot)", () => nbconvert(path.join(nbDir, "second.ipynb")));
  assert.doesNotMatch(second.stderr, /start-up snapshot/);
  assert.equal(join(outputsOf(path.join(nbDir, "second.ipynb"))[2]?.[0]?.data?.["text/plain"]), "42");
  process.stdout.write(`# package install timings: ${timings.join(", ")}\n`);
});
