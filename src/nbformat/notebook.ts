/**
 * The Jupyter notebook format (nbformat 4), the one place Spindle reads and
 * writes .ipynb files (`spindle run`, release, validate, grade): parse with
 * clear errors, normalise multi-line fields to strings, write back the way
 * nbformat does (sorted keys, one-space indent, sources split into lines), so
 * diffs against files Jupyter saved stay small.
 */
import { readFileSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import { SpindleError } from "../errors";

/** A file that is not a readable nbformat-4 notebook. */
export class NotebookFormatError extends SpindleError<"ERR_SPINDLE_NOTEBOOK_FORMAT"> {
  /** Creates the error; the message names the file and says what to do. */
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, "ERR_SPINDLE_NOTEBOOK_FORMAT", options);
  }
}

/** nbgrader's cell metadata (`metadata.nbgrader`), schema version 3. */
export interface NbgraderMetadata {
  grade?: boolean;
  grade_id?: string;
  locked?: boolean;
  points?: number;
  schema_version?: number;
  solution?: boolean;
  task?: boolean;
  checksum?: string;
  cell_type?: string;
  [key: string]: unknown;
}

/** A cell output as nbformat 4 stores it (multi-line text normalised to one string). */
export type Output =
  | { output_type: "stream"; name: "stdout" | "stderr"; text: string }
  | { output_type: "display_data"; data: Record<string, unknown>; metadata: Record<string, unknown> }
  | {
      output_type: "execute_result";
      data: Record<string, unknown>;
      metadata: Record<string, unknown>;
      execution_count: number | null;
    }
  | { output_type: "error"; ename: string; evalue: string; traceback: string[] };

/** One cell; `source` is always a single string here. */
export interface Cell {
  cell_type: "code" | "markdown" | "raw";
  id?: string;
  metadata: { nbgrader?: NbgraderMetadata; [key: string]: unknown };
  source: string;
  outputs?: Output[];
  execution_count?: number | null;
  attachments?: unknown;
  [key: string]: unknown;
}

/** A whole notebook. */
export interface Notebook {
  cells: Cell[];
  metadata: {
    kernelspec?: { name?: string; display_name?: string; language?: string };
    language_info?: object;
    [key: string]: unknown;
  };
  nbformat: number;
  nbformat_minor: number;
}

/** Reads and parses a notebook file; throws NotebookFormatError naming the file when it is not a notebook. */
export function readNotebook(path: string): Notebook {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (err) {
    throw new NotebookFormatError(`Cannot read ${path}: ${(err as Error).message}.`, { cause: err });
  }
  return parseNotebook(text, path);
}

/** Parses notebook JSON text; `where` names the file in error messages. */
export function parseNotebook(text: string, where: string): Notebook {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new NotebookFormatError(
      `${where} is not a Jupyter notebook: it is not valid JSON (${(err as Error).message}). ` +
        "Open it in Jupyter and save it again, or submit the .ipynb file itself.",
      { cause: err },
    );
  }
  if (!isRecord(raw) || !Array.isArray(raw.cells) || raw.nbformat !== 4) {
    const version = isRecord(raw) && raw.nbformat !== undefined ? ` (nbformat ${String(raw.nbformat)})` : "";
    throw new NotebookFormatError(
      `${where} is not a Jupyter notebook in format 4${version}: it needs a "cells" list and "nbformat": 4. ` +
        "Convert older notebooks with `jupyter nbconvert --to notebook`.",
    );
  }
  const cells = raw.cells.map((c, i) => normaliseCell(c, i, where));
  const metadata = isRecord(raw.metadata) ? (raw.metadata as Notebook["metadata"]) : {};
  const minor = typeof raw.nbformat_minor === "number" ? raw.nbformat_minor : 4;
  return { ...raw, cells, metadata, nbformat: 4, nbformat_minor: minor };
}

function normaliseCell(raw: unknown, index: number, where: string): Cell {
  const type = isRecord(raw) ? raw.cell_type : undefined;
  if (!isRecord(raw) || (type !== "code" && type !== "markdown" && type !== "raw")) {
    throw new NotebookFormatError(
      `${where}: cell ${index + 1} is not a valid notebook cell (cell_type must be code, markdown or raw).`,
    );
  }
  const cell = { ...raw, cell_type: type, source: joinText(raw.source) } as Cell;
  cell.metadata = isRecord(raw.metadata) ? { ...raw.metadata } : {};
  if (type === "code") {
    cell.outputs = Array.isArray(raw.outputs) ? raw.outputs.map(normaliseOutput) : [];
    if (cell.execution_count === undefined) cell.execution_count = null;
  }
  return cell;
}

function normaliseOutput(raw: unknown): Output {
  if (!isRecord(raw)) return { output_type: "stream", name: "stdout", text: "" };
  const out = { ...raw } as Record<string, unknown>;
  if (out.output_type === "stream") out.text = joinText(out.text);
  if (isRecord(out.data)) {
    const data: Record<string, unknown> = {};
    for (const [mime, value] of Object.entries(out.data)) data[mime] = isJsonMime(mime) ? value : joinText(value);
    out.data = data;
  }
  if (out.output_type === "error" && !Array.isArray(out.traceback)) out.traceback = [];
  return out as unknown as Output;
}

/** Serialises a notebook the way nbformat writes it (sorted keys, indent 1, sources as line lists). */
export function serializeNotebook(nb: Notebook): string {
  const needsIds = nb.nbformat_minor >= 5;
  const cells = nb.cells.map((cell, i) => {
    const out: Record<string, unknown> = { ...cell, source: splitLines(cell.source) };
    // nbformat 4.5 requires cell ids; a notebook written without them gets stable ones.
    if (needsIds && typeof cell.id !== "string") out.id = `cell-${i + 1}`;
    if (cell.outputs) out.outputs = cell.outputs.map(splitOutput);
    return out;
  });
  return JSON.stringify(sortKeys({ ...nb, cells }), null, 1) + "\n";
}

function splitOutput(output: Output): unknown {
  const out: Record<string, unknown> = { ...output };
  if (output.output_type === "stream") out.text = splitLines(output.text);
  if ("data" in output) {
    const data: Record<string, unknown> = {};
    for (const [mime, value] of Object.entries(output.data)) {
      data[mime] = typeof value === "string" && !isJsonMime(mime) ? splitLines(value) : value;
    }
    out.data = data;
  }
  return out;
}

/** Writes `nb` to `path` as nbformat does (see serializeNotebook). */
export async function writeNotebook(path: string, nb: Notebook): Promise<void> {
  await writeFile(path, serializeNotebook(nb));
}

/** Joins nbformat's multi-line representation (a string or a list of lines) into one string. */
export function joinText(value: unknown): string {
  if (typeof value === "string") return value;
  if (Array.isArray(value)) return value.map((v) => (typeof v === "string" ? v : String(v))).join("");
  return "";
}

/** Splits text into lines keeping their line ends, as nbformat stores sources. */
export function splitLines(text: string): string[] {
  return text.match(/[^\n]*\n|[^\n]+$/g) ?? [];
}

function isJsonMime(mime: string): boolean {
  return mime === "application/json" || /\+json$/.test(mime);
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (!isRecord(value)) return value;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) {
    if (value[key] !== undefined) out[key] = sortKeys(value[key]);
  }
  return out;
}

/** True for a plain JSON object. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** A deep copy of a notebook (JSON data only). */
export function cloneNotebook(nb: Notebook): Notebook {
  return structuredClone(nb);
}
