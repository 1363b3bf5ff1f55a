/**
 * Before a submission runs, its locked and graded cells are put back exactly
 * as the source has them (hidden tests included), as nbgrader's OverwriteCells
 * does. Every difference found on the way is reported: an edited locked cell
 * (checksum against the released cell), a changed cell type, points or flags,
 * a deleted cell (put back), an unknown or duplicated grade_id (ignored).
 */
import { computeChecksum, gradeId, isLocked, isTracked } from "./cells";
import { GraderError } from "../errors";
import { type Cell, cloneNotebook, type Notebook } from "../../nbformat/notebook";
import type { Assignment } from "./release";
import { checkKernel } from "./source-check";

/** One difference between a submission and its assignment. */
export interface Change {
  gradeId: string;
  kind: "edited-locked" | "cell-type" | "metadata" | "deleted" | "unknown-id" | "duplicate-id";
  /** A sentence for the teacher and the student (never contains hidden test text). */
  message: string;
}

/** A submission ready to run, and what had to be put back. */
export interface Restored {
  notebook: Notebook;
  changes: Change[];
}

/** Restores locked cells and hidden tests from the assignment into a copy of `submission`. */
export function restoreSubmission(assignment: Assignment, submission: Notebook, where: string): Restored {
  checkKernel(submission, where);
  const gradable = new Map<string, Cell>();
  const released = new Map<string, Cell>();
  for (const c of assignment.gradable.cells) if (isTracked(c)) gradable.set(gradeId(c)!, c);
  for (const c of assignment.released.cells) if (isTracked(c)) released.set(gradeId(c)!, c);
  checkSameAssignment(assignment, submission, gradable, where);

  const changes: Change[] = [];
  const seen = new Set<string>();
  const cells: Cell[] = [];
  for (const original of cloneNotebook(submission).cells) {
    const id = gradeId(original);
    if (id === undefined || !original.metadata.nbgrader) {
      cells.push(original);
      continue;
    }
    const source = gradable.get(id);
    if (!source || seen.has(id)) {
      const kind = source ? "duplicate-id" : "unknown-id";
      const why = source ? "is a copy of another cell with the same grade_id" : "is not part of this assignment";
      changes.push({
        gradeId: id,
        kind,
        message: `Cell "${id}" ${why}; it runs as an ordinary cell and earns no points.`,
      });
      delete original.metadata.nbgrader;
      cells.push(original);
      continue;
    }
    seen.add(id);
    cells.push(restoreCell(original, source, released.get(id)!, changes));
  }
  insertMissing(assignment.gradable.cells, cells, seen, changes);
  return { notebook: { ...cloneNotebook(submission), cells }, changes };
}

function restoreCell(student: Cell, source: Cell, released: Cell, changes: Change[]): Cell {
  const id = gradeId(source)!;
  const cell: Cell = { ...student, metadata: { ...student.metadata } };
  if (cell.cell_type !== source.cell_type) {
    changes.push({
      gradeId: id,
      kind: "cell-type",
      message: `Cell "${id}" was changed from ${source.cell_type} to ${cell.cell_type}; graded as ${source.cell_type}.`,
    });
    cell.cell_type = source.cell_type;
  }
  const before = student.metadata.nbgrader!;
  const after = source.metadata.nbgrader!;
  for (const key of ["grade", "solution", "locked", "points", "task"] as const) {
    if ((before[key] ?? null) !== (after[key] ?? null)) {
      changes.push({
        gradeId: id,
        kind: "metadata",
        message: `Cell "${id}": its ${key} setting was changed; the assignment's value is used.`,
      });
    }
  }
  cell.metadata.nbgrader = structuredClone(after);
  if (isLocked(source)) {
    const sum = computeChecksum(cell);
    // The released cell (what students get) or the source's own (a teacher grading the source itself).
    if (sum !== released.metadata.nbgrader!.checksum && sum !== source.metadata.nbgrader!.checksum) {
      changes.push({
        gradeId: id,
        kind: "edited-locked",
        message: `Locked cell "${id}" was edited; it was graded with the original cell.`,
      });
    }
    cell.source = source.source;
  }
  if (cell.cell_type === "code") {
    cell.outputs = [];
    cell.execution_count = null;
  } else {
    delete cell.outputs;
    delete cell.execution_count;
  }
  return cell;
}

/** Puts back deleted cells from the source, each right after the cell that preceded it there. */
function insertMissing(sourceCells: Cell[], cells: Cell[], seen: Set<string>, changes: Change[]): void {
  let previousId: string | undefined;
  for (const source of sourceCells) {
    const id = gradeId(source);
    if (!isTracked(source) || id === undefined) continue;
    if (!seen.has(id)) {
      const at = previousId === undefined ? -1 : cells.findIndex((c) => gradeId(c) === previousId);
      cells.splice(at + 1, 0, structuredClone(source));
      seen.add(id);
      changes.push({
        gradeId: id,
        kind: "deleted",
        message: `Cell "${id}" was deleted; the assignment's version was put back.`,
      });
    }
    previousId = id;
  }
}

function checkSameAssignment(
  assignment: Assignment,
  submission: Notebook,
  gradable: Map<string, Cell>,
  where: string,
): void {
  const ids = new Set(submission.cells.map(gradeId).filter((x): x is string => x !== undefined));
  const present = [...gradable.keys()].filter((id) => ids.has(id)).length;
  if (present * 2 < gradable.size || (present === 0 && gradable.size > 0)) {
    throw new GraderError(
      `${where} has ${present} of the ${gradable.size} nbgrader cells of ${assignment.sourcePath}; it looks like a different ` +
        "assignment (or a notebook saved without its cell metadata). Check that the right notebook was submitted.",
      "ERR_GRADER_WRONG_ASSIGNMENT",
    );
  }
}
