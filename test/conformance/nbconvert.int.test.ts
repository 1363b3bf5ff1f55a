import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { installKernelspec } from "../../src/cli/install";
import { descendants, isAlive, waitAllDead } from "../helpers/procs";

let dir: string;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), "spindle-nbconvert-"));
  await installKernelspec({ target: { kind: "prefix", prefix: join(dir, "prefix") } });
});

after(() => rmSync(dir, { recursive: true, force: true }));

const code = (source: string) => ({ cell_type: "code", source, metadata: {}, outputs: [], execution_count: null });

test("jupyter nbconvert --to notebook --execute runs a notebook on the spindle kernel", {
  timeout: 300_000,
}, async () => {
  writeFileSync(
    join(dir, "lesson.ipynb"),
    JSON.stringify({
      cells: [
        { cell_type: "markdown", source: "# Threads and queues", metadata: {} },
        code("const workers: number = 3;\nconsole.log(`starting ${workers} workers`);"),
        code("import { display } from 'spindle/display';\ndisplay.html('<table><tr><td>ok</td></tr></table>');"),
        code("console.error('a warning');\nworkers * 14"),
      ],
      metadata: { kernelspec: { name: "spindle", display_name: "TypeScript (Spindle)", language: "typescript" } },
      nbformat: 4,
      nbformat_minor: 5,
    }),
  );
  const r = await new Promise<{ code: number | null; output: string; family: number[] }>((resolve) => {
    const child = spawn(
      "/usr/bin/jupyter",
      [
        "nbconvert",
        "--to",
        "notebook",
        "--execute",
        "lesson.ipynb",
        "--output",
        "lesson.executed.ipynb",
        "--ExecutePreprocessor.timeout=120",
      ],
      {
        cwd: dir,
        env: {
          ...process.env,
          JUPYTER_PATH: join(dir, "prefix", "share", "jupyter"),
          JUPYTER_PLATFORM_DIRS: "1",
          JUPYTER_RUNTIME_DIR: join(dir, "runtime"),
        },
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    let output = "";
    child.stdout.on("data", (d) => (output += d));
    child.stderr.on("data", (d) => (output += d));
    let family: number[] = [];
    const watch = setInterval(() => (family = [...new Set([...family, ...descendants(child.pid!)])]), 200);
    const timer = setTimeout(
      () => [child.pid!, ...descendants(child.pid!)].forEach((p) => process.kill(p, "SIGKILL")),
      280_000,
    );
    child.on("exit", (code) => {
      clearTimeout(timer);
      clearInterval(watch);
      resolve({ code, output, family });
    });
  });
  const clean = await waitAllDead(r.family, 5000);
  for (const pid of r.family.filter(isAlive)) process.kill(pid, "SIGKILL");
  assert.equal(r.code, 0, r.output);
  assert.ok(clean, "nbconvert's kernel and executor are gone");
  const nb = JSON.parse(readFileSync(join(dir, "lesson.executed.ipynb"), "utf8"));
  const cells = nb.cells.filter((c: { cell_type: string }) => c.cell_type === "code");
  assert.deepEqual(
    cells.map((c: { execution_count: number }) => c.execution_count),
    [1, 2, 3],
  );
  assert.deepEqual(cells[0].outputs, [{ name: "stdout", output_type: "stream", text: ["starting 3 workers\n"] }]);
  assert.equal(cells[1].outputs[0].output_type, "display_data");
  assert.equal([cells[1].outputs[0].data["text/html"]].flat().join(""), "<table><tr><td>ok</td></tr></table>");
  assert.deepEqual(
    cells[2].outputs.map((o: { output_type: string }) => o.output_type),
    ["stream", "execute_result"],
  );
  assert.equal(cells[2].outputs[0].name, "stderr");
  assert.equal([cells[2].outputs[1].data["text/plain"]].flat().join(""), "42");
  assert.equal(nb.metadata.language_info.name, "typescript");
});
