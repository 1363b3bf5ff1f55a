/**
 * Scoring of one executed cell, by nbgrader's `determine_grade` rules, so a
 * notebook scores the same here and in nbgrader.
 */
import { cellPoints, computeChecksum, isGrade, isSolution } from "../format/cells";
import type { Cell, Output } from "../../nbformat/notebook";
import { parsePythonFloat } from "../format/python-float";

/** The mime type `points()` adds next to text/plain to carry its message. */
export const POINTS_MIME = "application/vnd.spindle.points+json";

/** A cell's score: `score` undefined means "graded by hand". */
export interface CellScore {
  score: number | undefined;
  max: number;
  /** Why, in a few words: "passed", "error", "partial credit", "unanswered", "graded by hand". */
  reason: "passed" | "failed" | "partial" | "unanswered" | "manual";
  /** A note from nbgrader's rules worth showing (e.g. a result that is not a number). */
  note?: string;
}

/** nbgrader's `determine_grade` for a grade cell (or a task cell, always graded by hand). */
export function determineGrade(cell: Cell): CellScore {
  const max = cellPoints(cell);
  if (!isGrade(cell)) return { score: undefined, max, reason: "manual" };
  if (isSolution(cell)) {
    const recorded = cell.metadata.nbgrader?.checksum;
    if (recorded !== undefined && recorded === computeChecksum(cell)) return { score: 0, max, reason: "unanswered" };
    return { score: undefined, max, reason: "manual" };
  }
  if (cell.cell_type !== "code") return { score: undefined, max, reason: "manual" };
  // As nbgrader: the first decisive output wins, in output order.
  for (const output of cell.outputs ?? []) {
    if (output.output_type === "error" || (output.output_type === "stream" && output.name === "stderr")) {
      return { score: 0, max, reason: "failed" };
    }
    if (output.output_type === "execute_result") return partialGrade(output, max);
  }
  return { score: max, max, reason: "passed" };
}

/** nbgrader's `get_partial_grade`: `float(text/plain)` capped at max; full points when not a number. */
function partialGrade(output: Extract<Output, { output_type: "execute_result" }>, max: number): CellScore {
  const text = output.data["text/plain"];
  if (typeof text !== "string")
    return { score: max, max, reason: "passed", note: "the result has no text/plain form; full points (as nbgrader)" };
  const value = parsePythonFloat(text);
  if (value === undefined || Number.isNaN(value)) return { score: max, max, reason: "passed" };
  if (value > max)
    return {
      score: max,
      max,
      reason: "passed",
      note: `the cell's result ${text.trim()} is more than its ${max} points; capped`,
    };
  return { score: value, max, reason: value === max ? "passed" : value === 0 ? "failed" : "partial" };
}

/** The message a `points(n, "message")` result carried, if any. */
export function pointsMessage(cell: Cell): string | undefined {
  for (const output of cell.outputs ?? []) {
    if (output.output_type !== "execute_result") continue;
    const data = output.data[POINTS_MIME];
    if (typeof data === "object" && data !== null && typeof (data as { message?: unknown }).message === "string") {
      return (data as { message: string }).message;
    }
  }
  return undefined;
}
