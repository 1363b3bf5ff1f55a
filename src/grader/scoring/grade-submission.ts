/**
 * Grading one submission: read it, restore locked cells and hidden tests,
 * run it in a fresh kernel, score each graded cell by nbgrader's rules and
 * keep what the student may see.
 */
import { dirname } from "node:path";
import { gradeId, isGrade, isSolution } from "../format/cells";
import { GraderError } from "../errors";
import type { Cell } from "../../nbformat";
import { readNotebook } from "../format/notebook-input";
import type { Assignment } from "../format/release";
import { restoreSubmission } from "../format/restore";
import type { GradedCell, SubmissionResult } from "../reports/results";
import type { CellStatus, NotebookRunner, RunLimits } from "../running/runner";
import { determineGrade, pointsMessage } from "./score";
import { visibleOutputs } from "./redact";
import { hasHiddenTests } from "../format/markers";
import { attributeFailure } from "./attribute";

/** Options of one grading run. */
export interface GradeOptions {
  runner: NotebookRunner;
  limits: RunLimits;
}

/** Grades the submission at `path` as `student`; bad input gives a "rejected" result, never a throw. */
export async function gradeSubmission(
  assignment: Assignment,
  path: string,
  student: string,
  options: GradeOptions,
): Promise<SubmissionResult> {
  const started = performance.now();
  const base = { student, path, cells: [], changes: [], total: 0, max: 0 };
  let restored;
  try {
    restored = restoreSubmission(assignment, readNotebook(path), path);
  } catch (err) {
    if (!(err instanceof GraderError)) throw err;
    return { ...base, status: "rejected", error: err.message, seconds: (performance.now() - started) / 1000 };
  }
  const nb = restored.notebook;
  const report = await options.runner.run(nb, options.limits, { cwd: dirname(path) });
  const released = new Map(assignment.released.cells.map((c) => [gradeId(c), c] as const));
  const cells: GradedCell[] = [];
  const flag = report.flags?.join("; ");
  nb.cells.forEach((cell, i) => {
    if (!(isGrade(cell) || cell.metadata.nbgrader?.task === true)) return;
    const graded = gradedCell(cell, released.get(gradeId(cell)), report.cells[i]);
    // A killed sandbox or a modified environment voids the autograded cells from there on.
    if (
      report.voidFrom !== undefined &&
      i >= report.voidFrom &&
      graded.score !== undefined &&
      cell.cell_type === "code"
    ) {
      graded.score = 0;
      graded.reason = "voided";
      graded.message = flag;
    }
    cells.push(graded);
  });
  const total = cells.reduce((sum, c) => sum + (c.score ?? 0), 0);
  const max = cells.reduce((sum, c) => sum + c.max, 0);
  return {
    ...base,
    status: "graded",
    cells,
    changes: restored.changes,
    total,
    max,
    executed: nb,
    flags: report.flags,
    seconds: (performance.now() - started) / 1000,
  };
}

function gradedCell(cell: Cell, released: Cell | undefined, status: CellStatus | undefined): GradedCell {
  const s = determineGrade(cell);
  const hidden = hasHiddenTests(cell.source);
  const visibleSource = isSolution(cell) || !released ? cell.source : released.source;
  const timedOut = status === "timeout";
  return {
    gradeId: gradeId(cell)!,
    score: s.score,
    max: s.max,
    reason: timedOut ? "timeout" : s.reason,
    visibleSource,
    shownOutputs: visibleOutputs(cell, hidden),
    hidden,
    message: pointsMessage(cell) ?? explain(cell, s.reason, hidden, timedOut) ?? s.note,
    cellType: cell.cell_type,
  };
}

function explain(cell: Cell, reason: GradedCell["reason"], hidden: boolean, timedOut: boolean): string | undefined {
  if (timedOut) return "The cell ran past its time limit (an endless loop or a deadlock?) and was stopped.";
  if (reason === "failed" && hidden) {
    const failure = attributeFailure(cell.outputs ?? [], cell.source, cell.execution_count);
    return failure.hidden ? "hidden test failed" : `A visible test failed: ${failure.text}`;
  }
  if (reason === "unanswered") return "No answer was given.";
  if (reason === "manual") return "Graded by hand.";
  return undefined;
}
