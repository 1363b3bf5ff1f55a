/**
 * The threads notebook's code, run as one plain Node program (no kernel): its cells in order inside one
 * async function, imports hoisted, `spindle/...` resolved to this checkout. The notebook's claims are
 * then checked on what it printed. The same claims are checked through the kernel in kernel.int.test.ts.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import ts from "typescript";
import { assertThreadsNotebookClaims } from "./notebook-claims";

const ROOT = path.join(__dirname, "..", "..", "..", "..");
const EDITIONS = [
  ["en", path.join(ROOT, "notebooks", "02-threads.ipynb")],
  ["zh", path.join(ROOT, "notebooks", "zh", "02-threads.ipynb")],
] as const;

interface Cell {
  cell_type: string;
  source: string | string[];
}

/** The notebook's code cells as one TypeScript program: imports first, the rest inside `main()`. */
function programOf(cells: string[]): string {
  const imports: string[] = [];
  const body: string[] = [];
  for (const code of cells) {
    const sf = ts.createSourceFile("cell.ts", code, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
    for (const stmt of sf.statements) (ts.isImportDeclaration(stmt) ? imports : body).push(stmt.getFullText(sf));
  }
  return `${imports.join("\n")}\nasync function main(): Promise<void> {\n${body.join("\n")}\n}\nvoid main();\n`;
}

/** `spindle/x` → this checkout's dist file (as package.json#exports maps it). */
function resolveSpindle(js: string): string {
  const exportsMap = (
    JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8")) as { exports: Record<string, string> }
  ).exports;
  return js.replace(/require\("spindle\/([\w-]+)"\)/g, (whole, name: string) => {
    const target = exportsMap[`./${name}`];
    return target ? `require(${JSON.stringify(path.join(ROOT, target))})` : whole;
  });
}

for (const [lang, NOTEBOOK] of EDITIONS)
  test(`the threads notebook (${lang}) runs as a plain Node program and shows what its text claims`, () => {
    const nb = JSON.parse(readFileSync(NOTEBOOK, "utf8")) as { cells: Cell[] };
    // A cell magic (`%%explore`) is the kernel's, not TypeScript: the kernel run (kernel.int.test.ts) covers those cells.
    const code = nb.cells
      .filter((c) => c.cell_type === "code")
      .map((c) => (Array.isArray(c.source) ? c.source.join("") : c.source))
      .filter((src) => !src.startsWith("%%"));
    assert.ok(code.length >= 11);
    const js = ts.transpileModule(programOf(code), {
      compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
    }).outputText;
    const dir = mkdtempSync(path.join(tmpdir(), "spindle-nb-"));
    try {
      const file = path.join(dir, "02-threads.js");
      writeFileSync(file, resolveSpindle(js));
      const run = spawnSync(process.execPath, [file], {
        env: { ...process.env, SPINDLE_TIME_SCALE: "0.1" },
        encoding: "utf8",
        timeout: 240_000,
      });
      assert.equal(run.status, 0, `exit ${run.status} ${run.signal ?? ""}\n${run.stderr}`);
      assertThreadsNotebookClaims(run.stdout, run.stderr, { lang });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
