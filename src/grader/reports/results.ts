/** What grading produces for one submission: the data behind grades.csv, feedback and the summary. */
import type { Change } from "../format/restore";
import type { CellScore } from "../scoring/score";
import type { Notebook, Output } from "../../nbformat/notebook";
import type { GradeRow } from "./csv";

/** One graded (or hand-graded) cell as a student may see it. */
export interface GradedCell {
  gradeId: string;
  score: number | undefined;
  max: number;
  reason: CellScore["reason"] | "timeout" | "voided";
  /** The source the student saw (hidden tests removed). */
  visibleSource: string;
  /** Outputs safe to show the student (none of a hidden test's text). */
  shownOutputs: Output[];
  /** True when the cell contains hidden tests. */
  hidden: boolean;
  /** The `points(n, message)` message, or a one-line explanation of the score. */
  message?: string;
  cellType: "code" | "markdown" | "raw";
}

/** The outcome for one submission file. */
export interface SubmissionResult {
  student: string;
  path: string;
  /** graded; rejected (bad input: a GraderError); error (the grader itself failed, e.g. no kernel). */
  status: "graded" | "rejected" | "error";
  /** Why the submission was rejected or could not be graded. */
  error?: string;
  cells: GradedCell[];
  changes: Change[];
  /** Sum of autograded scores (hand-graded cells count 0 until graded). */
  total: number;
  /** Sum of max points of every graded cell. */
  max: number;
  seconds: number;
  /** Why cells were voided: a cap the sandbox hit, or tampering ("environment modified: …"). */
  flags?: string[];
  /** The executed notebook, hidden tests included (for the teacher only). */
  executed?: Notebook;
}

/** The grades.csv rows of a result (none for a rejected submission). */
export function rowsOf(result: SubmissionResult): GradeRow[] {
  const note = (result.flags ?? []).join("; ") || undefined;
  return result.cells.map((c) => ({ student: result.student, cell: c.gradeId, points: c.score, max: c.max, note }));
}
