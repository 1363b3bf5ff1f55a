/**
 * `spindle run NOTEBOOK|DIR... [--out DIR] [--timeout S] [--allow-errors]`:
 * executes notebooks headlessly, each in a fresh Spindle kernel over ZeroMQ
 * (no Python needed), prints a progress line and the text of every output per
 * cell, writes the executed notebooks, and ends with a summary table. Exits 1
 * if any cell failed.
 *
 * Executed notebooks go to `<name>.out.ipynb` next to each input, or to
 * `--out DIR/<name>.ipynb`. A directory argument runs the `.ipynb` files in it
 * (not in subfolders), sorted by name, skipping `*.out.ipynb`.
 */
import { mkdir, readdir, stat } from "node:fs/promises";
import { basename, dirname, join, relative, resolve } from "node:path";
import { runNotebook, type CellReport } from "../client";
import { outputText, readNotebook, writeNotebook, type Cell } from "../nbformat";
import { parseArgs, UsageError } from "./args";

const USAGE = "Usage: spindle run NOTEBOOK|DIR... [--out DIR] [--timeout S] [--allow-errors]\n";

interface Row {
  name: string;
  cells: number;
  errors: number;
  seconds: number;
}

/** The `run` command. */
export async function runCommand(args: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs(args, { flags: ["allow-errors"], valued: ["out", "timeout"] });
    if (parsed.positionals.length === 0) throw new UsageError("Name at least one notebook or folder.");
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    process.stderr.write(`spindle run: ${err.message}\n${USAGE}`);
    return 2;
  }
  const timeout = parsed.options.has("timeout") ? Number(parsed.options.get("timeout")) : undefined;
  if (timeout !== undefined && !(timeout > 0)) {
    process.stderr.write(
      `spindle run: --timeout must be a positive number of seconds, got ${JSON.stringify(parsed.options.get("timeout"))}.\n`,
    );
    return 2;
  }
  const outDir = parsed.options.get("out");
  const files = await expand(parsed.positionals);
  if (files.length === 0) {
    process.stderr.write("spindle run: no .ipynb files found in the given paths.\n");
    return 1;
  }
  const rows: Row[] = [];
  let failed = false;
  for (const file of files) {
    const row = await runOne(file, { outDir, timeout, allowErrors: parsed.flags.has("allow-errors") });
    rows.push(row);
    if (row.errors !== 0) failed = true;
  }
  print(summary(rows));
  return failed ? 1 : 0;
}

async function runOne(
  file: string,
  options: { outDir?: string; timeout?: number; allowErrors: boolean },
): Promise<Row> {
  const name = relative(process.cwd(), file) || file;
  print(`\n▶ ${name}\n`);
  const started = Date.now();
  try {
    const notebook = readNotebook(file);
    const result = await runNotebook(notebook, {
      cwd: dirname(file),
      timeout: options.timeout,
      allowErrors: options.allowErrors,
      kernel: { stderr: (text) => process.stderr.write(text) },
      onCellDone: (report) => print(cellReport(report, notebook.cells[report.index]!)),
    });
    const out = options.outDir ? join(resolve(options.outDir), basename(file)) : file.replace(/\.ipynb$/, ".out.ipynb");
    await mkdir(dirname(out), { recursive: true });
    await writeNotebook(out, result.notebook);
    print(`  → ${relative(process.cwd(), out) || out}\n`);
    return { name, cells: result.cells.length, errors: result.errors, seconds: result.seconds };
  } catch (err) {
    print(`  ✗ ${(err as Error).message}\n`);
    return { name, cells: 0, errors: 1, seconds: (Date.now() - started) / 1000 };
  }
}

function cellReport(report: CellReport, cell: Cell): string {
  const first = cell.source.split("\n").find((l) => l.trim() !== "") ?? "";
  const head = `  [${report.ordinal}/${report.total}] ${report.status.padEnd(14)} ${report.seconds.toFixed(2).padStart(6)} s  ${truncate(first, 60)}\n`;
  const body = report.outputs.map(outputText).join("");
  return head + (body ? indent(body) : "");
}

function indent(text: string): string {
  const lines = text.replace(/\n$/, "").split("\n");
  return lines.map((l) => `      │ ${l}`).join("\n") + "\n";
}

function truncate(text: string, width: number): string {
  const t = text.trim();
  return t.length > width ? t.slice(0, width - 1) + "…" : t;
}

function summary(rows: Row[]): string {
  const total: Row = rows.reduce(
    (a, r) => ({
      name: "total",
      cells: a.cells + r.cells,
      errors: a.errors + r.errors,
      seconds: a.seconds + r.seconds,
    }),
    { name: "total", cells: 0, errors: 0, seconds: 0 },
  );
  const all = [...rows, total];
  const w = Math.max(8, ...all.map((r) => r.name.length));
  const line = (r: Row): string =>
    `${r.name.padEnd(w)}  ${String(r.cells).padStart(5)}  ${String(r.errors).padStart(6)}  ${r.seconds.toFixed(2).padStart(8)}\n`;
  return (
    `\n${"notebook".padEnd(w)}  ${"cells".padStart(5)}  ${"errors".padStart(6)}  ${"seconds".padStart(8)}\n${"-".repeat(w + 25)}\n` +
    rows.map(line).join("") +
    line(total)
  );
}

async function expand(paths: string[]): Promise<string[]> {
  const files: string[] = [];
  for (const p of paths) {
    const full = resolve(p);
    let info;
    try {
      info = await stat(full);
    } catch {
      process.stderr.write(`spindle run: ${p} does not exist.\n`);
      continue;
    }
    if (info.isDirectory()) {
      const names = (await readdir(full)).filter((n) => n.endsWith(".ipynb") && !n.endsWith(".out.ipynb")).sort();
      files.push(...names.map((n) => join(full, n)));
    } else files.push(full);
  }
  return files;
}

/** Writes to stdout, without terminal colour codes when stdout is not a terminal. */
function print(text: string): void {
  process.stdout.write(process.stdout.isTTY ? text : text.replace(/\x1b\[[0-9;]*m/g, ""));
}
