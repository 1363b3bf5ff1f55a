/**
 * Validation of a student's notebook: run it as it is (the student version
 * has no hidden tests) and say, per graded cell, whether its visible tests
 * pass — plus any locked cell the student changed by accident.
 */
import { dirname } from "node:path";
import { computeChecksum, gradeId, isGrade, isLocked } from "../format/cells";
import { GraderError } from "../errors";
import { hasHiddenTests } from "../format/markers";
import type { Notebook } from "../../nbformat";
import { readNotebook } from "../format/notebook-input";
import type { NotebookRunner, RunLimits } from "../running/runner";
import { determineGrade, pointsMessage } from "./score";
import { checkKernel } from "../format/source-check";

/** One graded cell's result in a validation. */
export interface ValidatedCell {
  gradeId: string;
  score: number | undefined;
  max: number;
  passed: boolean;
  /** The first error line, or the points() message. */
  detail?: string;
}

/** The outcome of validating one notebook. */
export interface Validation {
  path: string;
  cells: ValidatedCell[];
  /** Locked cells whose source differs from what was released. */
  editedLocked: string[];
  executed: Notebook;
}

/** Runs the notebook at `path` and reports its visible tests; throws GraderError on bad input. */
export async function validateNotebook(path: string, runner: NotebookRunner, limits: RunLimits): Promise<Validation> {
  const nb = readNotebook(path);
  checkKernel(nb, path);
  if (!nb.cells.some(isGrade)) {
    throw new GraderError(
      `${path} has no graded cells, so there is nothing to validate; is it the notebook your teacher released?`,
      "ERR_GRADER_NO_GRADED_CELLS",
    );
  }
  const leaked = nb.cells.find((c) => hasHiddenTests(c.source));
  if (leaked) {
    throw new GraderError(
      `${path} still contains hidden tests ("${gradeId(leaked) ?? "?"}"); validate student versions made by \`spindle release\`.`,
      "ERR_GRADER_MARKERS",
    );
  }
  const editedLocked = nb.cells
    .filter(
      (c) =>
        isLocked(c) &&
        c.metadata.nbgrader?.checksum !== undefined &&
        c.metadata.nbgrader.checksum !== computeChecksum(c),
    )
    .map((c) => gradeId(c) ?? "?");
  await runner.run(nb, limits, { cwd: dirname(path) });
  const cells = nb.cells.filter(isGrade).map((cell): ValidatedCell => {
    const s = determineGrade(cell);
    const error = (cell.outputs ?? []).find((o) => o.output_type === "error");
    const stderr = (cell.outputs ?? []).find((o) => o.output_type === "stream" && o.name === "stderr");
    const detail =
      s.reason === "unanswered"
        ? "not answered yet"
        : (pointsMessage(cell) ??
          (error?.output_type === "error"
            ? `${error.ename}: ${error.evalue}`
            : stderr?.output_type === "stream"
              ? `printed to stderr: ${stderr.text.trim().split("\n")[0]}`
              : undefined));
    return {
      gradeId: gradeId(cell)!,
      score: s.score,
      max: s.max,
      passed: s.score !== undefined && s.score === s.max,
      detail,
    };
  });
  return { path, cells, editedLocked, executed: nb };
}
