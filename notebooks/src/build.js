#!/usr/bin/env node
// Rebuilds the chapter notebooks from their Markdown sources (both editions, or `--lang en|zh`), keeping the saved
// outputs of cells whose source did not change. `npm run notebooks` runs this first, then executes them.
// Usage: node notebooks/src/build.js [--lang en|zh]
"use strict";
const path = require("node:path");
const { buildChapter, chapters, sourcesHash } = require("./notebook-source");

/** Parses `--lang en|zh` (default: both editions); exits 2 on anything else. */
function langsFrom(argv) {
  const i = argv.indexOf("--lang");
  if (i === -1) return undefined;
  const lang = argv[i + 1];
  if (lang !== "en" && lang !== "zh") {
    console.error(`--lang takes en or zh, got ${JSON.stringify(lang)}.`);
    process.exit(2);
  }
  return [lang];
}

if (require.main === module) {
  for (const chapter of chapters(langsFrom(process.argv.slice(2)))) {
    const nb = buildChapter(chapter);
    const stale = nb.metadata.spindle?.sources_sha256 !== sourcesHash(nb.cells);
    console.log(`${path.relative(process.cwd(), chapter.ipynb)}: ${nb.cells.length} cells${stale ? " (outputs stale: run npm run notebooks)" : ""}`);
  }
}

module.exports = { langsFrom };
