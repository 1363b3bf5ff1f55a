/**
 * nbgrader's cell predicates (`is_grade`, `is_solution`, `is_locked`) and the
 * checksum it records for grade, solution and locked cells (nbgrader/utils.py).
 */
import { createHash } from "node:crypto";
import type { Cell } from "../../nbformat/notebook";
import { pythonFloatStr } from "./python-float";

/** True for an autograder test cell or a manually graded answer cell (`metadata.nbgrader.grade`). */
export function isGrade(cell: Cell): boolean {
  return cell.metadata.nbgrader?.grade === true;
}

/** True for a cell the student answers in (`metadata.nbgrader.solution`). */
export function isSolution(cell: Cell): boolean {
  return cell.metadata.nbgrader?.solution === true;
}

/** nbgrader's `is_locked`: never for solution cells, always for grade cells, else the `locked` flag. */
export function isLocked(cell: Cell): boolean {
  const nb = cell.metadata.nbgrader;
  if (!nb) return false;
  if (isSolution(cell)) return false;
  if (isGrade(cell)) return true;
  return nb.locked === true;
}

/** True for a cell nbgrader tracks by grade_id (grade, solution, locked or task). */
export function isTracked(cell: Cell): boolean {
  const nb = cell.metadata.nbgrader;
  return nb !== undefined && (isGrade(cell) || isSolution(cell) || isLocked(cell) || nb.task === true);
}

/** The cell's grade_id, or undefined. */
export function gradeId(cell: Cell): string | undefined {
  const id = cell.metadata.nbgrader?.grade_id;
  return typeof id === "string" ? id : undefined;
}

/** The points a grade cell is worth (`float(points)`; 0 when missing). */
export function cellPoints(cell: Cell): number {
  const p = cell.metadata.nbgrader?.points;
  const n = typeof p === "number" ? p : typeof p === "string" ? Number(p) : 0;
  return Number.isFinite(n) ? n : 0;
}

const pyBool = (b: boolean): string => (b ? "True" : "False");

/** nbgrader's `compute_checksum(cell)`: MD5 over source, type, flags, grade_id and (grade cells) points. */
export function computeChecksum(cell: Cell): string {
  // One update of the concatenation: the same digest as nbgrader's successive updates, ~4x cheaper here.
  const parts = [
    cell.source,
    cell.cell_type,
    pyBool(isGrade(cell)),
    pyBool(isSolution(cell)),
    pyBool(isLocked(cell)),
    gradeId(cell) ?? "",
  ];
  if (isGrade(cell)) parts.push(pythonFloatStr(cellPoints(cell)));
  return createHash("md5").update(parts.join(""), "utf8").digest("hex");
}
