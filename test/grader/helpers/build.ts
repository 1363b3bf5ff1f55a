/** Small builders of nbformat-4 notebooks for grader tests. */
import type { Cell, NbgraderMetadata, Notebook, Output } from "../../../src/nbformat/notebook";

/** A TypeScript (Spindle) notebook with `cells`. */
export function notebook(cells: Cell[]): Notebook {
  return {
    cells,
    metadata: {
      kernelspec: { name: "spindle", display_name: "TypeScript (Spindle)", language: "typescript" },
      language_info: { name: "typescript", file_extension: ".ts" },
    },
    nbformat: 4,
    nbformat_minor: 5,
  };
}

const meta = (m: Partial<NbgraderMetadata>): NbgraderMetadata => ({
  grade: false,
  locked: false,
  schema_version: 3,
  solution: false,
  task: false,
  ...m,
});

/** A plain code cell. */
export function code(source: string, outputs: Output[] = []): Cell {
  return { cell_type: "code", metadata: {}, source, outputs, execution_count: null };
}

/** A markdown cell, optionally with nbgrader metadata. */
export function markdown(source: string, nbgrader?: Partial<NbgraderMetadata>): Cell {
  return { cell_type: "markdown", metadata: nbgrader ? { nbgrader: meta(nbgrader) } : {}, source };
}

/** An answer cell ("Autograded answer"). */
export function solution(id: string, source: string): Cell {
  return { ...code(source), metadata: { nbgrader: meta({ grade_id: id, solution: true }) } };
}

/** An autograder test cell worth `points`. */
export function test(id: string, points: number, source: string, outputs: Output[] = []): Cell {
  return {
    ...code(source, outputs),
    metadata: { nbgrader: meta({ grade_id: id, grade: true, locked: true, points }) },
  };
}

/** A read-only code cell. */
export function locked(id: string, source: string): Cell {
  return { ...code(source), metadata: { nbgrader: meta({ grade_id: id, locked: true }) } };
}

/** An error output. */
export function errorOut(ename: string, evalue: string): Output {
  return { output_type: "error", ename, evalue, traceback: [`${ename}: ${evalue}`] };
}

/** A stream output. */
export function stream(name: "stdout" | "stderr", text: string): Output {
  return { output_type: "stream", name, text };
}

/** An execute_result with text/plain `text` (and extra mime data). */
export function result(text: string, extra: Record<string, unknown> = {}): Output {
  return { output_type: "execute_result", data: { "text/plain": text, ...extra }, metadata: {}, execution_count: 1 };
}
