/**
 * Errors of the grader. Each says which file is wrong, what is wrong and what
 * to do, and carries a stable code so scripts and tests match it without text.
 */
import { SpindleError } from "../errors";

/** Stable codes of grader errors. */
export type GraderErrorCode =
  | "ERR_GRADER_NOT_A_NOTEBOOK"
  | "ERR_GRADER_WRONG_KERNEL"
  | "ERR_GRADER_BAD_METADATA"
  | "ERR_GRADER_DUPLICATE_GRADE_ID"
  | "ERR_GRADER_NO_GRADED_CELLS"
  | "ERR_GRADER_MARKERS"
  | "ERR_GRADER_WRONG_ASSIGNMENT"
  | "ERR_GRADER_BAD_CSV"
  | "ERR_GRADER_USAGE"
  | "ERR_GRADER_KERNEL";

/** An input problem found by the grader (bad notebook, bad markers, bad CSV, bad arguments). */
export class GraderError extends SpindleError<GraderErrorCode> {}
