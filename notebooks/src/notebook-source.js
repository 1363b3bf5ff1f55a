// Chapter notebooks are written as Markdown (notebooks/src/<chapter>.md, notebooks/src/zh/<chapter>.md) and built
// into nbformat 4.5 notebooks by this module: each ```ts block becomes a code cell, the text between blocks becomes
// Markdown cells (a new one at every heading, or at a line `<!-- cell -->`). Cell ids come from the section the cell
// sits in and its position there ("s2-7-3"), so rebuilding an unchanged source gives the same ids, and a cell added
// to one section renumbers only the cells after it in that section.
"use strict";
const crypto = require("node:crypto");
const fs = require("node:fs");
const path = require("node:path");

const NOTEBOOKS = path.resolve(__dirname, "..");

/** The chapter notebooks of both editions: Markdown source → notebook file. */
const EDITIONS = {
  en: { src: path.join(NOTEBOOKS, "src"), out: NOTEBOOKS },
  zh: { src: path.join(NOTEBOOKS, "src", "zh"), out: path.join(NOTEBOOKS, "zh") },
};

/** Every chapter of the given editions (default both): { lang, name, md, ipynb }. */
function chapters(langs = Object.keys(EDITIONS)) {
  const out = [];
  for (const lang of langs) {
    const edition = EDITIONS[lang];
    if (!edition) throw new Error(`Unknown edition ${JSON.stringify(lang)}: use one of ${Object.keys(EDITIONS).join(", ")}.`);
    if (!fs.existsSync(edition.src)) continue;
    for (const file of fs.readdirSync(edition.src).filter((f) => /^\d\d-.*\.md$/.test(f)).sort()) {
      const name = file.replace(/\.md$/, "");
      out.push({ lang, name, md: path.join(edition.src, file), ipynb: path.join(edition.out, `${name}.ipynb`) });
    }
  }
  return out;
}

/** "a\nb" → ["a\n", "b"], as nbformat stores multi-line strings. */
function splitLines(text) {
  return text.match(/[^\n]*\n|[^\n]+$/g) ?? [];
}

/** The cells of a Markdown source, with stable ids; `source` is one string. */
function parseMarkdown(text) {
  const raw = [];
  const pushMarkdown = (block) => {
    let current = [];
    const flush = () => {
      const src = current.join("\n").replace(/^\n+|\n+$/g, "");
      if (src) raw.push({ cell_type: "markdown", source: src });
      current = [];
    };
    for (const line of block.split("\n")) {
      if (/^<!--\s*cell\s*-->\s*$/.test(line)) {
        flush();
        continue;
      }
      if (/^#{1,6}\s/.test(line)) flush();
      current.push(line);
    }
    flush();
  };
  const fence = /^```ts\n([\s\S]*?)^```[ \t]*\n?/gm;
  let at = 0;
  for (const m of text.matchAll(fence)) {
    pushMarkdown(text.slice(at, m.index));
    raw.push({ cell_type: "code", source: m[1].replace(/\n+$/, "") });
    at = m.index + m[0].length;
  }
  pushMarkdown(text.slice(at));
  let section = "intro";
  const seen = new Map();
  return raw.map((cell) => {
    if (cell.cell_type === "markdown") {
      const n = /^#{1,6}\s+(\d+)\.(\d+)\b/m.exec(cell.source);
      if (n) section = `s${n[1]}-${n[2]}`;
    }
    const position = (seen.get(section) ?? 0) + 1;
    seen.set(section, position);
    const cellOut = { cell_type: cell.cell_type, id: `${section}-${position}`, metadata: {}, source: cell.source };
    if (cell.cell_type === "code") Object.assign(cellOut, { execution_count: null, outputs: [] });
    return cellOut;
  });
}

/** A hash of what determines a notebook's outputs: its code cells' sources, in order. */
function sourcesHash(cells) {
  const code = cells.filter((c) => c.cell_type === "code").map((c) => (Array.isArray(c.source) ? c.source.join("") : c.source));
  return crypto.createHash("sha256").update(JSON.stringify(code)).digest("hex");
}

const KERNEL_METADATA = {
  kernelspec: { name: "spindle", display_name: "TypeScript (Spindle)", language: "typescript" },
  language_info: { name: "typescript", file_extension: ".ts", mimetype: "text/typescript" },
};

/**
 * The notebook built from `mdText`. Outputs of `previous` (the notebook file as it is) are kept for cells whose id
 * and source are unchanged, and its `metadata.spindle` (the hash of the sources that produced the outputs) too, so a
 * rebuild after a prose edit keeps the saved outputs, and one after a code edit leaves the notebook visibly stale.
 */
function buildNotebook(mdText, previous, lang) {
  const cells = parseMarkdown(mdText);
  const old = new Map((previous?.cells ?? []).map((c) => [c.id, c]));
  for (const cell of cells) {
    const before = old.get(cell.id);
    if (cell.cell_type !== "code" || !before || joined(before.source) !== cell.source) continue;
    cell.outputs = before.outputs ?? [];
    cell.execution_count = before.execution_count ?? null;
  }
  const metadata = { ...KERNEL_METADATA, ...(previous?.metadata ?? {}), language: lang === "zh" ? "zh-CN" : "en" };
  return { cells, metadata, nbformat: 4, nbformat_minor: 5 };
}

function joined(source) {
  return Array.isArray(source) ? source.join("") : source;
}

/** Writes a notebook the way Jupyter does (one-space indent, sorted keys, strings split into lines). */
function writeNotebookFile(file, nb) {
  const stored = {
    ...nb,
    cells: nb.cells.map((cell) => ({
      ...cell,
      source: splitLines(joined(cell.source)),
      ...(cell.outputs ? { outputs: cell.outputs.map(storeOutput) } : {}),
    })),
  };
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, JSON.stringify(sortKeys(stored), null, 1) + "\n");
}

function storeOutput(out) {
  if (out.output_type === "stream") return { ...out, text: splitLines(joined(out.text)) };
  if (out.output_type === "display_data" || out.output_type === "execute_result") {
    const data = {};
    for (const [mime, value] of Object.entries(out.data)) {
      data[mime] = typeof value === "string" && !mime.endsWith("json") ? splitLines(value) : value;
    }
    return { ...out, data };
  }
  return out;
}

function sortKeys(value) {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (typeof value !== "object" || value === null) return value;
  const out = {};
  for (const key of Object.keys(value).sort()) out[key] = sortKeys(value[key]);
  return out;
}

/** Reads a notebook file, or undefined when there is none. */
function readNotebookFile(file) {
  return fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, "utf8")) : undefined;
}

/** Rebuilds one chapter's notebook from its Markdown; returns the notebook written. */
function buildChapter(chapter) {
  const nb = buildNotebook(fs.readFileSync(chapter.md, "utf8"), readNotebookFile(chapter.ipynb), chapter.lang);
  writeNotebookFile(chapter.ipynb, nb);
  return nb;
}

module.exports = {
  EDITIONS,
  chapters,
  parseMarkdown,
  sourcesHash,
  buildNotebook,
  buildChapter,
  readNotebookFile,
  writeNotebookFile,
  splitLines,
};
