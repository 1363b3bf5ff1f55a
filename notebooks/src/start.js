#!/usr/bin/env node
// `npm start [-- --lang en|zh] [spindle run options]`: runs the chapter notebooks of both editions (or one) through
// the kernel with `spindle run`, which writes `<name>.out.ipynb` copies next to them and leaves the sources alone.
"use strict";
const { spawnSync } = require("node:child_process");
const path = require("node:path");
const { langsFrom } = require("./build");
const { EDITIONS } = require("./notebook-source");

const argv = process.argv.slice(2);
const langs = langsFrom(argv) ?? Object.keys(EDITIONS);
const rest = argv.filter((a, i) => a !== "--lang" && argv[i - 1] !== "--lang");
const dirs = langs.map((l) => path.relative(process.cwd(), EDITIONS[l].out) || ".");
const result = spawnSync(process.execPath, [path.join(__dirname, "..", "..", "bin", "spindle.js"), "run", ...dirs, ...rest], { stdio: "inherit" });
process.exit(result.status ?? 1);
