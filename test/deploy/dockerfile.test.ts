/**
 * The Dockerfile lint: no container engine runs here, so deploy/Dockerfile's
 * instructions run against scratch roots (see dockerfile-runner.ts) with the
 * committed tree as build context, and the result is checked as the image would be:
 * Spindle packed and installed as an npm package (runtime dependencies only, no
 * assignment sources), the kernelspec under PREFIX/share/jupyter running
 * PREFIX/bin/node, npm on PATH for `%npm install`, and `spindle
 * doctor` (kernelspec, Jupyter's view, a 1+1 round trip) passing inside the build.
 */
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseDockerfile, runDockerfile, substitute } from "./dockerfile-runner";

const ROOT = path.join(__dirname, "..", "..", "..");
const DOCKERFILE = path.join(ROOT, "deploy", "Dockerfile");
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "spindle-dockerfile-"));
after(() => fs.rmSync(scratch, { recursive: true, force: true }));

/** The build context: the committed tree (what CI checks out), or the working tree outside git. */
function buildContext(): string {
  const dir = path.join(scratch, "context");
  fs.mkdirSync(dir);
  try {
    const archive = path.join(scratch, "context.tar");
    execFileSync("git", ["-C", ROOT, "archive", "--format=tar", "-o", archive, "HEAD"], {
      stdio: "ignore",
      timeout: 60_000,
    });
    execFileSync("tar", ["-xf", archive, "-C", dir], { timeout: 60_000 });
    return dir;
  } catch {
    return ROOT;
  }
}

/** npm's cache directory here, so `npm ci` in the lint installs from it (npm's registry only when it must). */
function npmCache(): string {
  try {
    return execFileSync("npm", ["config", "get", "cache"], { encoding: "utf8", timeout: 30_000 }).trim();
  } catch {
    return path.join(os.homedir(), ".npm");
  }
}

test("the lint's parser joins continuation lines, drops comments and substitutes ARGs", () => {
  const ins = parseDockerfile("# c\nARG A=/x\nFROM img AS b\n# inside\nRUN one \\\n  && two\nCOPY ${A}/f ${B:-/d}/\n");
  assert.deepEqual(
    ins.map((i) => [i.keyword, i.args]),
    [
      ["ARG", "A=/x"],
      ["FROM", "img AS b"],
      ["RUN", "one && two"],
      ["COPY", "${A}/f ${B:-/d}/"],
    ],
  );
  assert.equal(substitute(ins[3]!.args, { A: "/x" }), "/x/f /d/");
});

test("deploy/Dockerfile's commands build a working single-user install in a scratch prefix", {
  timeout: 1_500_000,
}, async () => {
  const instructions = parseDockerfile(fs.readFileSync(DOCKERFILE, "utf8"));
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    // Keep npm's settings (registry, proxy) but not the variables of the `npm test` running us.
    if (k === "NODE_TEST_CONTEXT" || (k.startsWith("npm_") && !k.startsWith("npm_config_"))) continue;
    env[k] = v;
  }
  Object.assign(env, {
    npm_config_cache: npmCache(),
    npm_config_prefer_offline: "true",
    npm_config_update_notifier: "false",
    CPU_LIMIT: "1",
  });
  const context = buildContext();
  // The Jupyter image has PREFIX (/usr/local) on Jupyter's system path; the scratch PREFIX needs JUPYTER_PATH.
  const finalPrefix = (stageRoot: string): string => path.join(stageRoot, "usr", "local");
  const finalIndex = instructions.filter((i) => i.keyword === "FROM").length - 1;
  env.JUPYTER_PATH = path.join(
    finalPrefix(path.join(scratch, "stages", `stage-${finalIndex}-${finalIndex}`)),
    "share",
    "jupyter",
  );
  const stages = await runDockerfile(instructions, {
    context,
    scratch: path.join(scratch, "stages"),
    env,
    runTimeout: 900,
  });

  assert.deepEqual(
    stages.map((s) => s.name),
    ["build", String(finalIndex)],
  );
  const image = stages[finalIndex]!;
  const prefix = image.env.PREFIX!;
  assert.equal(prefix, finalPrefix(image.root));
  // Spindle is in the image as an installed npm package, not as a copy of the checkout.
  const home = path.join(prefix, "lib", "node_modules", "spindle");

  // Built, with runtime dependencies only, no solutions and no sources.
  for (const file of [
    "dist/src/cli/main.js",
    "dist/src/concurrency/threading/index.js",
    "dist/executor.blob",
    "node_modules/typescript/package.json",
    "node_modules/zeromq/package.json",
    "notebooks/assignments/release",
    "notebooks/assignments/zh/release",
    "notebooks/01-concurrency-basics.ipynb",
    "docs/executor.md",
  ]) {
    assert.ok(fs.existsSync(path.join(home, file)), `${file} is in the image`);
  }
  for (const file of [
    "notebooks/assignments/source",
    "notebooks/assignments/zh/source",
    "node_modules/@jupyterlab/services",
    "node_modules/configurable-http-proxy",
    "node_modules/playwright-core",
    "dist/test",
    "src",
    "test",
    "package-lock.json",
  ]) {
    assert.equal(fs.existsSync(path.join(home, file)), false, `${file} is not in the image`);
  }
  assert.equal(fs.existsSync(image.env.PACKAGES!), false, "the tarball is removed after installing it");
  // The kernelspec runs the image's Node and Spindle; `spindle` and `npm` (for %npm install) are on PATH.
  const spec = JSON.parse(
    fs.readFileSync(path.join(prefix, "share", "jupyter", "kernels", "spindle", "kernel.json"), "utf8"),
  ) as { argv: string[] };
  assert.deepEqual(spec.argv, [
    path.join(prefix, "bin", "node"),
    path.join(home, "bin", "spindle.js"),
    "kernel",
    "{connection_file}",
  ]);
  assert.equal(
    fs.realpathSync(path.join(prefix, "bin", "spindle")),
    fs.realpathSync(path.join(home, "bin", "spindle.js")),
  );
  assert.ok(fs.existsSync(path.join(prefix, "bin", "npm")), "npm is in the image");
  // Doctor ran inside the build and passed: Jupyter sees the kernel, and a kernel ran 1+1.
  const doctor = image.runs.map((r) => r.output).join("\n");
  assert.match(doctor, /lists "spindle" at /);
  assert.match(doctor, /CPU quota: 1 \(CPU_LIMIT\)/);
  assert.match(doctor, /round trip: kernel answered in \d+ ms, 1\+1 = 2 in \d+ ms more/);
  assert.match(doctor, /Everything needed works/);
});

test("the lint refuses what it cannot move into the scratch root", async () => {
  const dir = path.join(scratch, "refuse");
  const literal = parseDockerfile("FROM base\nRUN rm -rf /usr/local/share\n");
  await assert.rejects(runDockerfile(literal, { context: ROOT, scratch: dir }), /names an absolute path itself/);
  const add = parseDockerfile("FROM base\nADD https://example.org/x /x\n");
  await assert.rejects(runDockerfile(add, { context: ROOT, scratch: dir }), /does not know ADD/);
});
