import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { installKernelspec } from "../../src/cli/install";
import { descendants, waitAllDead } from "../helpers/procs";

/** The Python sources live in the source tree (they are not compiled to dist). */
const HERE = resolve(__dirname, "..", "..", "..", "test", "conformance");
let prefix: string;

before(async () => {
  prefix = mkdtempSync(join(tmpdir(), "spindle-conformance-"));
  await installKernelspec({ target: { kind: "prefix", prefix } });
});

after(() => rmSync(prefix, { recursive: true, force: true }));

/** Runs a Python command with the kernelspec on JUPYTER_PATH; kills it (and its kernels) on timeout. */
export function python(
  args: string[],
  timeoutMs: number,
): Promise<{ code: number | null; output: string; leftover: number[] }> {
  return new Promise((resolvePromise) => {
    const child = spawn("/usr/bin/python3", args, {
      cwd: HERE,
      env: {
        ...process.env,
        JUPYTER_PATH: join(prefix, "share", "jupyter"),
        PYTHONDONTWRITEBYTECODE: "1",
        JUPYTER_PLATFORM_DIRS: "1",
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (d) => (output += d));
    child.stderr.on("data", (d) => (output += d));
    let family: number[] = [];
    const watch = setInterval(() => (family = [...new Set([...family, ...descendants(child.pid!)])]), 200);
    const timer = setTimeout(() => {
      for (const pid of [child.pid!, ...descendants(child.pid!)]) process.kill(pid, "SIGKILL");
    }, timeoutMs);
    child.on("exit", async (code) => {
      clearTimeout(timer);
      clearInterval(watch);
      const clean = await waitAllDead(family, 5000);
      const leftover = clean ? [] : family;
      for (const pid of leftover) {
        try {
          process.kill(pid, "SIGKILL");
        } catch {
          // Gone already.
        }
      }
      resolvePromise({ code, output, leftover });
    });
  });
}

test("jupyter_kernel_test (Debian's 0.4.5) passes every test, none skipped", { timeout: 300_000 }, async () => {
  const r = await python(["-m", "unittest", "-v", "spindle_kernel_test"], 280_000);
  assert.equal(r.code, 0, r.output);
  assert.match(r.output, /^OK$/m, r.output);
  assert.doesNotMatch(r.output, /skipped/i, "no test may be skipped");
  const ran = Number(/Ran (\d+) tests?/.exec(r.output)?.[1]);
  assert.equal(ran, 12, r.output);
  assert.deepEqual(r.leftover, [], "the kernels the suite started are gone");
});
