/**
 * Notebook files (nbformat 4) as `spindle run` needs them: read with clear
 * errors, write back the way Jupyter does (one-space indent, sorted keys,
 * multi-line strings split into lines).
 */
import { readFile, writeFile } from "node:fs/promises";
import { SpindleError } from "../errors";

/** A cell output in nbformat 4 (text fields joined into one string). */
export type NotebookOutput =
  | { output_type: "stream"; name: "stdout" | "stderr"; text: string }
  | { output_type: "display_data"; data: Record<string, unknown>; metadata: Record<string, unknown> }
  | { output_type: "execute_result"; data: Record<string, unknown>; metadata: Record<string, unknown>; execution_count: number | null }
  | { output_type: "error"; ename: string; evalue: string; traceback: string[] };

/** A notebook cell; `source` is one string. */
export interface NotebookCell {
  cell_type: "code" | "markdown" | "raw";
  source: string;
  metadata: Record<string, unknown>;
  outputs?: NotebookOutput[];
  execution_count?: number | null;
  [key: string]: unknown;
}

/** A notebook. */
export interface Notebook {
  cells: NotebookCell[];
  metadata: Record<string, unknown>;
  nbformat: number;
  nbformat_minor: number;
}

/** A file that is not a readable nbformat-4 notebook. */
export class NotebookFormatError extends SpindleError {
  /** Creates the error; the message names the file. */
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, "ERR_SPINDLE_NOTEBOOK_FORMAT", options);
  }
}

/** Reads a notebook file. */
export async function readNotebook(path: string): Promise<Notebook> {
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(path, "utf8"));
  } catch (cause) {
    throw new NotebookFormatError(`${path} is not a notebook: ${(cause as Error).message}.`, { cause });
  }
  const nb = raw as Partial<Notebook> | null;
  if (typeof nb !== "object" || nb === null || nb.nbformat !== 4 || !Array.isArray(nb.cells)) {
    throw new NotebookFormatError(`${path} is not an nbformat 4 notebook (it needs "nbformat": 4 and a "cells" list); convert it with \`jupyter nbconvert --to notebook\`.`);
  }
  const cells = nb.cells.map((c) => {
    const cell = c as NotebookCell;
    return { ...cell, source: joinLines(cell.source), metadata: isObject(cell.metadata) ? cell.metadata : {} };
  });
  return { ...nb, cells, metadata: isObject(nb.metadata) ? nb.metadata : {}, nbformat: 4, nbformat_minor: nb.nbformat_minor ?? 5 } as Notebook;
}

/** Writes a notebook the way Jupyter does, so diffs against files Jupyter saved stay small. */
export async function writeNotebook(path: string, nb: Notebook): Promise<void> {
  const stored = {
    ...nb,
    cells: nb.cells.map((cell) => ({
      ...cell,
      source: splitLines(cell.source),
      ...(cell.outputs ? { outputs: cell.outputs.map(storeOutput) } : {}),
    })),
  };
  await writeFile(path, JSON.stringify(sortKeys(stored), null, 1) + "\n");
}

function storeOutput(out: NotebookOutput): unknown {
  if (out.output_type === "stream") return { ...out, text: splitLines(out.text) };
  if (out.output_type === "display_data" || out.output_type === "execute_result") {
    const data: Record<string, unknown> = {};
    for (const [mime, value] of Object.entries(out.data)) data[mime] = typeof value === "string" && !mime.endsWith("json") ? splitLines(value) : value;
    return { ...out, data };
  }
  return out;
}

/** "a\nb" → ["a\n", "b"], as nbformat stores multi-line strings. */
export function splitLines(text: string): string[] {
  return text.match(/[^\n]*\n|[^\n]+$/g) ?? [];
}

function joinLines(value: unknown): string {
  return Array.isArray(value) ? value.join("") : typeof value === "string" ? value : "";
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (!isObject(value)) return value;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) out[key] = sortKeys(value[key]);
  return out;
}
