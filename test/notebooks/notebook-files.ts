/** Where the notebooks are, and the Markdown → notebook builder (plain JavaScript in notebooks/src/) typed for tests. */
import fs from "node:fs";
import path from "node:path";

/** The repository root (tests run from dist/test/notebooks). */
export const ROOT = path.resolve(__dirname, "..", "..", "..");
/** The notebooks folder. */
export const NOTEBOOKS = path.join(ROOT, "notebooks");

/** A cell of a notebook file as stored. */
export interface StoredCell {
  cell_type: "code" | "markdown" | "raw";
  id?: string;
  source: string | string[];
  metadata: Record<string, unknown>;
  execution_count?: number | null;
  outputs?: Array<{
    output_type: string;
    name?: string;
    text?: string | string[];
    ename?: string;
    evalue?: string;
    data?: Record<string, unknown>;
  }>;
}

/** A notebook file as stored. */
export interface StoredNotebook {
  cells: StoredCell[];
  metadata: Record<string, unknown> & {
    spindle?: { sources_sha256?: string; executed?: string; machine?: Record<string, unknown> };
  };
  nbformat: number;
  nbformat_minor: number;
}

/** One chapter of one edition. */
export interface Chapter {
  lang: "en" | "zh";
  name: string;
  md: string;
  ipynb: string;
}

/** The builder's exports used by the tests. */
export interface NotebookSource {
  chapters(langs?: string[]): Chapter[];
  parseMarkdown(text: string): StoredCell[];
  sourcesHash(cells: StoredCell[]): string;
  buildNotebook(md: string, previous: StoredNotebook | undefined, lang: string): StoredNotebook;
}

/** The builder module. */
// eslint-disable-next-line @typescript-eslint/no-require-imports
export const notebookSource = require(path.join(NOTEBOOKS, "src", "notebook-source.js")) as NotebookSource;

/** Every notebook file under notebooks/ (chapters, editions, assignments), skipping executed copies and checkpoints. */
export function allNotebookFiles(dir = NOTEBOOKS): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((entry) => {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory())
        return entry.name === ".ipynb_checkpoints" || entry.name === "node_modules" ? [] : allNotebookFiles(full);
      return entry.name.endsWith(".ipynb") && !entry.name.endsWith(".out.ipynb") ? [full] : [];
    })
    .sort();
}

/** Reads a notebook file. */
export function readStored(file: string): StoredNotebook {
  return JSON.parse(fs.readFileSync(file, "utf8")) as StoredNotebook;
}

/** A cell's source as one string. */
export function textOf(value: string | string[] | undefined): string {
  return Array.isArray(value) ? value.join("") : (value ?? "");
}
