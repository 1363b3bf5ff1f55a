/**
 * Where did a failing test cell with hidden tests fail: in its visible part
 * (safe to show the student) or in a hidden test (show "hidden test failed"
 * only)? Spindle's tracebacks name each frame as `cell [N], line L`; the
 * innermost frame in the cell itself decides. Without such a frame the
 * answer is "hidden" — when unsure, reveal nothing.
 */
import { DEFAULT_MARKERS, type MarkerConfig } from "../format/markers";
import type { Output } from "../../nbformat/notebook";

/** What a student may be told about a failure. */
export type Failure = { hidden: true } | { hidden: false; text: string };

const ANSI = /\u001b\[[0-9;?]*[A-Za-z]/g;

/** Decides where the error in `outputs` happened, given the cell's executed `source` and its execution count. */
export function attributeFailure(
  outputs: Output[],
  source: string,
  executionCount: number | null | undefined,
  m: MarkerConfig = DEFAULT_MARKERS,
): Failure {
  const error = outputs.find((o) => o.output_type === "error");
  if (error?.output_type !== "error" || executionCount == null) return { hidden: true };
  const line = innermostLine(error.traceback, executionCount);
  if (line === undefined) return { hidden: true };
  const { hidden, visibleLine } = classify(source, line, m);
  if (hidden) return { hidden: true };
  const evalue = error.evalue.replace(ANSI, "");
  return { hidden: false, text: `${error.ename}: ${evalue} (line ${visibleLine} of this cell)` };
}

/** The line of the innermost traceback frame that is in cell [executionCount]. */
function innermostLine(traceback: string[], executionCount: number): number | undefined {
  const re = new RegExp(`cell \\[${executionCount}\\],? line (\\d+)`);
  for (const entry of traceback) {
    const match = re.exec(entry.replace(ANSI, ""));
    if (match) return Number(match[1]);
  }
  return undefined;
}

/** Whether 1-based `line` of `source` is inside a hidden region, and its number in the visible source. */
function classify(source: string, line: number, m: MarkerConfig): { hidden: boolean; visibleLine: number } {
  const lines = source.split("\n");
  let inside = false;
  let visible = 0;
  for (const [i, text] of lines.entries()) {
    const isBegin = text.includes(m.beginHidden);
    const isEnd = text.includes(m.endHidden);
    const hiddenHere = inside || isBegin || isEnd;
    if (!hiddenHere) visible++;
    if (i + 1 === line) return { hidden: hiddenHere, visibleLine: visible };
    if (isBegin) inside = true;
    if (isEnd) inside = false;
  }
  return { hidden: true, visibleLine: visible };
}
