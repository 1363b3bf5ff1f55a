/**
 * What of a graded cell's output a student may see. A cell with hidden tests
 * shows none of its own output — a failing assertion's message or a stack
 * trace would quote the hidden test — only its score and, when the test
 * cell chose one, its `points()` message.
 */
import type { Cell, Output } from "../../nbformat/notebook";

const ANSI = /\u001b\[[0-9;?]*[A-Za-z]/g;

/** Outputs of `cell` safe to show in feedback; none when `hidden`. */
export function visibleOutputs(cell: Cell, hidden: boolean): Output[] {
  if (hidden || cell.cell_type !== "code") return [];
  return (cell.outputs ?? []).map(stripAnsi);
}

/** Removes terminal colour codes from an output's text. */
export function stripAnsi(output: Output): Output {
  if (output.output_type === "stream") return { ...output, text: output.text.replace(ANSI, "") };
  if (output.output_type === "error") {
    return {
      ...output,
      evalue: output.evalue.replace(ANSI, ""),
      traceback: output.traceback.map((l) => l.replace(ANSI, "")),
    };
  }
  return output;
}
