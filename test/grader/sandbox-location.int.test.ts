/**
 * The namespace sandbox must grade wherever Spindle is installed: a checkout under /tmp (the sandbox
 * mounts its own private /tmp) and, when the grader runs as root, a folder other users cannot enter
 * (each sandbox then cannot run as a uid of its own). Spindle is copied there and run from the copy.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { chmodSync, cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { serializeNotebook } from "../../src/nbformat";
import { sandboxSupport } from "../../src/sandbox/detect";
import { notebook, solution, test as testCell } from "./helpers/build";

const ROOT = join(__dirname, "..", "..", "..");

function sourceNotebook(): string {
  return serializeNotebook(
    notebook([
      solution(
        "answer",
        "function double(n: number): number {\n  // BEGIN SOLUTION\n  return n * 2;\n  // END SOLUTION\n}",
      ),
      testCell("t_double", 2, 'if (double(21) !== 42) throw new Error("double(21) should be 42");'),
    ]),
  );
}

/** Copies what `spindle grade` runs from (node_modules linked, not copied) into `dir`. */
function installCopy(dir: string): string {
  for (const part of ["bin", "dist", "package.json"]) cpSync(join(ROOT, part), join(dir, part), { recursive: true });
  symlinkSync(join(ROOT, "node_modules"), join(dir, "node_modules"));
  return join(dir, "bin", "spindle.js");
}

function run(bin: string, args: string[], seconds: number): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], { stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    child.stdout.on("data", (d: Buffer) => (out += d.toString()));
    child.stderr.on("data", (d: Buffer) => (out += d.toString()));
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`spindle ${args.join(" ")} did not finish in ${seconds} s:\n${out}`));
    }, seconds * 1000);
    child.on("exit", (code) => {
      clearTimeout(timer);
      resolve({ code, out });
    });
  });
}

async function gradeFrom(installDir: string): Promise<void> {
  const bin = installCopy(installDir);
  const work = mkdtempSync(join(tmpdir(), "spindle-location-work-"));
  try {
    const source = join(work, "source.ipynb");
    writeFileSync(source, sourceNotebook());
    const { code, out } = await run(
      bin,
      ["grade", "--source", source, source, "--out", join(work, "out"), "--isolation", "strict", "--jobs", "1"],
      300,
    );
    assert.equal(code, 0, out);
    assert.match(out, /^isolation: namespaces/m);
    assert.equal(
      readFileSync(join(work, "out", "grades.csv"), "utf8").trim(),
      "student,cell,points,max,note\nsource,t_double,2,2,",
    );
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

const namespaces = sandboxSupport().namespaces.ok;

test("a Spindle copy under the temp folder grades in the namespace sandbox", { timeout: 400_000 }, async () => {
  assert.ok(namespaces, "bubblewrap namespaces are needed (CI installs bubblewrap)");
  const dir = mkdtempSync(join(tmpdir(), "spindle-location-"));
  try {
    await gradeFrom(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("a Spindle copy in a folder other users cannot enter grades in the namespace sandbox", {
  timeout: 400_000,
}, async () => {
  assert.ok(namespaces, "bubblewrap namespaces are needed (CI installs bubblewrap)");
  const outer = mkdtempSync(join(tmpdir(), "spindle-private-"));
  chmodSync(outer, 0o700);
  try {
    await gradeFrom(outer);
  } finally {
    rmSync(outer, { recursive: true, force: true });
  }
});
