#!/usr/bin/env node
// Builds a notebook from a readable Markdown source: each ```ts block becomes a code cell, the text
// between blocks a Markdown cell. Usage: node notebooks/src/md-to-ipynb.js SOURCE.md OUT.ipynb
"use strict";
const fs = require("node:fs");

const [source, out] = process.argv.slice(2);
if (!source || !out) {
  console.error("usage: node notebooks/src/md-to-ipynb.js SOURCE.md OUT.ipynb");
  process.exit(2);
}
const text = fs.readFileSync(source, "utf8");
const cells = [];
const lines = (s) => s.split(/(?<=\n)/);
const push = (type, body) => {
  const src = body.replace(/^\n+|\n+$/g, "");
  if (!src) return;
  const cell = { cell_type: type, metadata: {}, source: lines(src) };
  if (type === "code") Object.assign(cell, { execution_count: null, outputs: [] });
  cells.push(cell);
};
const fence = /^```ts\n([\s\S]*?)^```\n?/gm;
let at = 0;
for (const m of text.matchAll(fence)) {
  push("markdown", text.slice(at, m.index));
  push("code", m[1]);
  at = m.index + m[0].length;
}
push("markdown", text.slice(at));
const notebook = {
  cells,
  metadata: {
    kernelspec: { name: "spindle", display_name: "TypeScript (Spindle)", language: "typescript" },
    language_info: { name: "typescript", file_extension: ".ts", mimetype: "text/typescript" },
  },
  nbformat: 4,
  nbformat_minor: 5,
};
fs.writeFileSync(out, JSON.stringify(notebook, null, 1) + "\n");
console.log(`${out}: ${cells.length} cells`);
