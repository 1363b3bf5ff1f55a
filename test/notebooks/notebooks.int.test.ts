/**
 * Every tutorial notebook of both editions (English in notebooks/, Chinese in
 * notebooks/zh/), end to end through the real kernel with `spindle run` (the
 * command `npm start` uses): no cell errors, and each of the tutorial's 28
 * numbered sections has a heading with its number followed by a code cell
 * that produced output.
 */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { headingNumber, sourceOf, TUTORIAL_SECTIONS, type NotebookCell } from "./sections";

const ROOT = path.resolve(__dirname, "..", "..", "..");
const RUN_LIMIT_MS = 20 * 60_000;

for (const [edition, NOTEBOOKS] of [
  ["English", path.join(ROOT, "notebooks")],
  ["Chinese", path.join(ROOT, "notebooks", "zh")],
] as const) {
  describe(`tutorial notebooks (${edition} edition)`, { timeout: RUN_LIMIT_MS + 60_000 }, () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), "spindle-notebooks-"));
    let exitCode: number | null = null;
    let log = "";
    const executed = new Map<string, NotebookCell[]>();

    before(async () => {
      const child = spawn(
        process.execPath,
        [path.join(ROOT, "bin", "spindle.js"), "run", NOTEBOOKS, "--out", out, "--timeout", "600"],
        {
          cwd: ROOT,
          env: { ...process.env, SPINDLE_TIME_SCALE: "0.1" },
          stdio: ["ignore", "pipe", "pipe"],
        },
      );
      child.stdout.on("data", (d: Buffer) => (log += d.toString()));
      child.stderr.on("data", (d: Buffer) => (log += d.toString()));
      const timer = setTimeout(() => child.kill("SIGKILL"), RUN_LIMIT_MS);
      exitCode = await new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
      clearTimeout(timer);
      for (const file of fs.readdirSync(out).filter((f) => f.endsWith(".ipynb"))) {
        const nb = JSON.parse(fs.readFileSync(path.join(out, file), "utf8")) as { cells: NotebookCell[] };
        executed.set(file, nb.cells);
      }
    });
    after(() => fs.rmSync(out, { recursive: true, force: true }));

    it("runs every notebook without a cell error", () => {
      assert.equal(exitCode, 0, `spindle run failed:\n${log.slice(-4000)}`);
      const sources = fs.readdirSync(NOTEBOOKS).filter((f) => f.endsWith(".ipynb") && !f.endsWith(".out.ipynb"));
      assert.ok(sources.length >= 4, "the four chapter notebooks exist");
      assert.deepEqual([...executed.keys()].sort(), sources.sort(), "an executed copy of every notebook");
      for (const [file, cells] of executed) {
        for (const cell of cells) {
          const errors = (cell.outputs ?? []).filter((o) => o.output_type === "error");
          assert.equal(
            errors.length,
            0,
            `${file}: ${sourceOf(cell).slice(0, 80)} → ${errors.map((e) => `${e.ename}: ${e.evalue}`).join("; ")}`,
          );
        }
      }
    });

    it("has a numbered heading and a code cell with output for each of the 28 tutorial sections", () => {
      const found = new Map<string, { file: string; withOutput: boolean }>();
      for (const [file, cells] of executed) {
        let current: string | undefined;
        for (const cell of cells) {
          if (cell.cell_type === "markdown") {
            for (const line of sourceOf(cell).split("\n")) {
              const n = headingNumber(line);
              if (n) {
                current = n;
                if (!found.has(n)) found.set(n, { file, withOutput: false });
              }
            }
          } else if (cell.cell_type === "code" && current && (cell.outputs ?? []).length > 0) {
            const entry = found.get(current);
            if (entry && entry.file === file) entry.withOutput = true;
          }
        }
      }
      for (const section of TUTORIAL_SECTIONS) {
        const entry = found.get(section);
        assert.ok(entry, `no heading carries section ${section}`);
        assert.ok(entry.withOutput, `section ${section} (${entry.file}) has no code cell with output`);
      }
    });
  });
}
