/**
 * Release: the student version of a source notebook, made the way nbgrader's
 * generate_assignment makes it (LockCells, ClearSolutions, ClearOutput,
 * ComputeChecksums, ClearHiddenTests, ComputeChecksums). The intermediate
 * "gradable" version — solutions cleared, hidden tests kept — is what
 * autograding restores locked cells from (nbgrader keeps it in its database).
 */
import { computeChecksum, gradeId, isGrade, isLocked, isSolution } from "./cells";
import {
  DEFAULT_MARKERS,
  hasHiddenTests,
  type MarkerConfig,
  removeHiddenTests,
  replaceSolutionRegions,
} from "./markers";
import { type Cell, cloneNotebook, type Notebook } from "../../nbformat/notebook";
import { checkKernel, checkSourceMetadata } from "./source-check";
import { GraderError } from "../errors";

/** The two versions of an assignment derived from its source notebook. */
export interface Assignment {
  /** Where the source came from (for messages). */
  sourcePath: string;
  /** Solutions replaced by stubs, hidden tests kept, checksums recorded: what grading restores from. */
  gradable: Notebook;
  /** What students get: as `gradable`, minus hidden tests, checksums recomputed. */
  released: Notebook;
}

/** Builds the gradable and released versions of a source notebook; throws GraderError on bad input. */
export function buildAssignment(
  source: Notebook,
  sourcePath: string,
  markers: MarkerConfig = DEFAULT_MARKERS,
): Assignment {
  checkKernel(source, sourcePath);
  checkSourceMetadata(source, sourcePath);
  const gradable = cloneNotebook(source);
  gradable.cells.forEach((cell, i) => {
    const where = `${sourcePath}, cell ${i + 1}${gradeId(cell) ? ` ("${gradeId(cell)}")` : ""}`;
    lockCell(cell);
    clearSolutions(cell, where, markers);
    clearOutput(cell);
    if (hasHiddenTests(cell.source, markers) && !isGrade(cell)) {
      throw new GraderError(
        `${where} has hidden tests but is not a graded cell; put hidden tests only in "Autograder tests" cells (grade: true).`,
        "ERR_GRADER_MARKERS",
      );
    }
    recordChecksum(cell);
  });
  const released = cloneNotebook(gradable);
  released.cells.forEach((cell, i) => {
    cell.source = removeHiddenTests(cell.source, `${sourcePath}, cell ${i + 1}`, markers).source;
    recordChecksum(cell);
  });
  return { sourcePath, gradable, released };
}

/** nbgrader's LockCells with its defaults: grade and read-only cells become undeletable and uneditable. */
function lockCell(cell: Cell): void {
  if (isSolution(cell) && isGrade(cell)) {
    cell.metadata.deletable = false;
  } else if (isGrade(cell) || isLocked(cell)) {
    cell.metadata.deletable = false;
    cell.metadata.editable = false;
  }
}

function clearSolutions(cell: Cell, where: string, markers: MarkerConfig): void {
  const stub = cell.cell_type === "code" ? markers.codeStub : markers.textStub;
  const rewrite = replaceSolutionRegions(cell.source, stub, where, markers);
  if (rewrite.found && !isSolution(cell)) {
    throw new GraderError(
      `${where} has a solution region but is not an answer cell; mark it with metadata.nbgrader.solution = true.`,
      "ERR_GRADER_MARKERS",
    );
  }
  cell.source = isSolution(cell) && !rewrite.found ? stub : rewrite.source;
}

/** nbconvert's ClearOutput: outputs, execution count and view-state metadata go. */
function clearOutput(cell: Cell): void {
  if (cell.cell_type === "code") {
    cell.outputs = [];
    cell.execution_count = null;
  }
  delete cell.metadata.collapsed;
  delete cell.metadata.scrolled;
  delete cell.metadata.execution;
}

/** nbgrader's ComputeChecksums: checksum and cell_type for grade, solution and locked cells. */
function recordChecksum(cell: Cell): void {
  const meta = cell.metadata.nbgrader;
  if (!meta || !(isGrade(cell) || isSolution(cell) || isLocked(cell))) return;
  meta.checksum = computeChecksum(cell);
  meta.cell_type = cell.cell_type;
}
