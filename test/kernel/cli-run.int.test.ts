import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

const BIN = resolve(__dirname, "..", "..", "..", "bin", "spindle.js");
let dir: string;

const code = (source: string, metadata: Record<string, unknown> = {}) => ({
  cell_type: "code",
  source,
  metadata,
  outputs: [],
  execution_count: null,
});
const notebook = (cells: unknown[]) => ({ cells, metadata: {}, nbformat: 4, nbformat_minor: 5 });

function run(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolvePromise) => {
    const child = spawn(process.execPath, [BIN, "run", ...args], { cwd: dir, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    const timer = setTimeout(() => child.kill("SIGKILL"), 170_000);
    child.on("exit", (code) => {
      clearTimeout(timer);
      resolvePromise({ code, stdout, stderr });
    });
  });
}

before(() => {
  dir = mkdtempSync(join(tmpdir(), "spindle-run-"));
  writeFileSync(
    join(dir, "a-good.ipynb"),
    JSON.stringify(
      notebook([
        { cell_type: "markdown", source: "# Title", metadata: {} },
        code(["const n: number = 6;\n", "console.log('six is', n);"] as unknown as string),
        code("n * 7"),
        code("throw new Error('expected failure')", { tags: ["raises-exception"] }),
        code(
          "import { display } from 'spindle/display';\ndisplay({ 'text/html': '<b>bold</b>', 'text/plain': 'bold' }, { raw: true });",
        ),
      ]),
    ),
  );
  writeFileSync(
    join(dir, "b-bad.ipynb"),
    JSON.stringify(
      notebook([
        code("console.log('before')"),
        code("throw new TypeError('this breaks')"),
        code("console.log('never runs')"),
      ]),
    ),
  );
  writeFileSync(join(dir, "old.out.ipynb"), "not even json");
});

after(() => rmSync(dir, { recursive: true, force: true }));

test("spindle run NOTEBOOK: progress and outputs as text, executed notebook alongside, summary, exit 0", {
  timeout: 180_000,
}, async () => {
  const r = await run(["a-good.ipynb"]);
  assert.equal(r.code, 0, r.stdout + r.stderr);
  assert.match(r.stdout, /\[1\/4\] ok .*const n: number = 6;/);
  assert.match(r.stdout, /│ six is 6/);
  assert.match(r.stdout, /\[2\/4\] ok [\s\S]*│ 42/);
  assert.match(r.stdout, /\[3\/4\] expected-error[\s\S]*expected failure/);
  assert.match(r.stdout, /\[4\/4\] ok [\s\S]*│ bold/);
  assert.match(r.stdout, /a-good\.ipynb\s+4\s+0\s+[\d.]+\ntotal\s+4\s+0/);
  assert.doesNotMatch(r.stdout, /\x1b\[/, "no colour codes when stdout is not a terminal");
  const out = JSON.parse(readFileSync(join(dir, "a-good.out.ipynb"), "utf8"));
  const cells = out.cells.filter((c: { cell_type: string }) => c.cell_type === "code");
  assert.deepEqual(cells[0].outputs, [{ name: "stdout", output_type: "stream", text: ["six is 6\n"] }]);
  assert.equal(cells[1].outputs[0].output_type, "execute_result");
  assert.deepEqual(cells[1].outputs[0].data, { "text/plain": ["42"] });
  assert.equal(cells[1].execution_count, 2);
  assert.equal(cells[2].outputs[0].output_type, "error");
  assert.deepEqual(cells[3].outputs[0].data["text/html"], ["<b>bold</b>"]);
  assert.equal(out.metadata.kernelspec.name, "spindle");
  assert.equal(out.metadata.language_info.name, "typescript");
  assert.deepEqual(
    out.cells[1].source,
    ["const n: number = 6;\n", "console.log('six is', n);"],
    "sources stored as lines, as Jupyter does",
  );
});

test("spindle run DIR --out: every notebook in order, stops a notebook at its first error, exit 1", {
  timeout: 180_000,
}, async () => {
  const outDir = join(dir, "executed");
  const r = await run([".", "--out", outDir, "--timeout", "60"]);
  assert.equal(r.code, 1, r.stdout + r.stderr);
  const order = [...r.stdout.matchAll(/▶ (\S+)/g)].map((m) => m[1]);
  assert.deepEqual(order, ["a-good.ipynb", "b-bad.ipynb"], "sorted, and *.out.ipynb skipped");
  assert.match(r.stdout, /\[2\/3\] error [\s\S]*TypeError[\s\S]*this breaks/);
  assert.match(r.stdout, /\[3\/3\] not-run/);
  assert.doesNotMatch(r.stdout, /│ never runs/);
  assert.match(r.stdout, /b-bad\.ipynb\s+3\s+1\s/);
  assert.match(r.stdout, /total\s+7\s+1\s/);
  assert.deepEqual(readdirSync(outDir).sort(), ["a-good.ipynb", "b-bad.ipynb"]);
});

test("--timeout interrupts a cell that runs too long and reports it", { timeout: 180_000 }, async () => {
  writeFileSync(join(dir, "slow.ipynb"), JSON.stringify(notebook([code("1"), code("while (true) {}"), code("1")])));
  const r = await run(["slow.ipynb", "--timeout", "5"]);
  assert.equal(r.code, 1);
  assert.match(r.stdout, /\[1\/3\] ok /, "starting the executor does not count against the first cell's limit");
  assert.match(r.stdout, /\[2\/3\] timeout [\s\S]*TimeoutError: The cell ran longer than 5 s/);
  assert.match(r.stdout, /\[3\/3\] not-run/);
});
