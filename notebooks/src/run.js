#!/usr/bin/env node
// `npm run notebooks`: rebuilds the chapter notebooks from their Markdown, executes each in a fresh Spindle kernel at
// real time scale (SPINDLE_TIME_SCALE=1), and writes them back with their outputs and, in metadata.spindle, the hash
// of the code that produced them and the machine it ran on. A progress line per cell; exits 1 if any cell failed
// (that notebook is then left as it was).
// Usage: node notebooks/src/run.js [--lang en|zh] [NAME-SUBSTRING ...]
"use strict";
const os = require("node:os");
const path = require("node:path");
const { langsFrom } = require("./build");
const { buildNotebook, chapters, readNotebookFile, sourcesHash, writeNotebookFile } = require("./notebook-source");
const fs = require("node:fs");

const CELL_TIMEOUT = 600;

async function main() {
  const argv = process.argv.slice(2);
  const langs = langsFrom(argv);
  const filters = argv.filter((a, i) => a !== "--lang" && argv[i - 1] !== "--lang");
  const client = require(path.join(__dirname, "..", "..", "dist", "src", "client"));
  process.env.SPINDLE_TIME_SCALE = "1";
  const selected = chapters(langs).filter((c) => filters.length === 0 || filters.some((f) => c.ipynb.includes(f)));
  if (selected.length === 0) {
    console.error(`no chapter notebook matches ${filters.join(", ")}`);
    return 1;
  }
  const rows = [];
  const started = Date.now();
  for (const chapter of selected) {
    const name = path.relative(process.cwd(), chapter.ipynb);
    const nb = buildNotebook(fs.readFileSync(chapter.md, "utf8"), readNotebookFile(chapter.ipynb), chapter.lang);
    const load = os.loadavg()[0];
    console.log(`\n▶ ${name} (load average ${load.toFixed(2)})`);
    if (load > os.availableParallelism()) {
      console.log(`  ! the machine is busy (load ${load.toFixed(2)} on ${os.availableParallelism()} cores): timings and speedups saved now will be noisy`);
    }
    const notebook = { ...nb, cells: nb.cells.map((c) => ({ ...c, outputs: c.cell_type === "code" ? [] : undefined })) };
    for (const cell of notebook.cells) if (cell.outputs === undefined) delete cell.outputs;
    let result;
    try {
      result = await client.runNotebook(notebook, {
        cwd: path.dirname(chapter.ipynb),
        timeout: CELL_TIMEOUT,
        kernel: { stderr: (text) => process.stderr.write(text) },
        onCellDone: (r) => console.log(progress(r, notebook.cells[r.index])),
      });
    } catch (err) {
      console.log(`  ✗ ${err.message}`);
      rows.push({ name, cells: 0, errors: 1, seconds: 0 });
      continue;
    }
    rows.push({ name, cells: result.cells.length, errors: result.errors, seconds: result.seconds });
    if (result.errors > 0) {
      console.log(`  ✗ ${result.errors} cell(s) failed: ${name} left unchanged`);
      continue;
    }
    result.notebook.metadata.spindle = {
      sources_sha256: sourcesHash(result.notebook.cells),
      executed: new Date().toISOString(),
      machine: { cores: os.availableParallelism(), cpu: os.cpus()[0]?.model ?? "unknown", node: process.version, load_average: Number(load.toFixed(2)) },
      time_scale: 1,
    };
    writeNotebookFile(chapter.ipynb, result.notebook);
    console.log(`  → ${name} (${result.seconds.toFixed(1)} s)`);
  }
  const failed = rows.reduce((n, r) => n + r.errors, 0);
  console.log(`\n${"notebook".padEnd(40)} cells errors seconds`);
  for (const r of rows) console.log(`${r.name.padEnd(40)} ${String(r.cells).padStart(5)} ${String(r.errors).padStart(6)} ${r.seconds.toFixed(1).padStart(7)}`);
  console.log(`total ${((Date.now() - started) / 1000).toFixed(1)} s; load average now ${os.loadavg()[0].toFixed(2)}`);
  return failed > 0 ? 1 : 0;
}

function progress(report, cell) {
  const first = (Array.isArray(cell.source) ? cell.source.join("") : cell.source).split("\n").find((l) => l.trim() !== "") ?? "";
  const text = first.trim().length > 60 ? `${first.trim().slice(0, 59)}…` : first.trim();
  const errors = report.outputs.filter((o) => o.output_type === "error").map((o) => `\n      ${o.ename}: ${o.evalue}`).join("");
  return `  [${report.ordinal}/${report.total}] ${cell.id} ${report.status.padEnd(9)} ${report.seconds.toFixed(2).padStart(6)} s  ${text}${errors}`;
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
