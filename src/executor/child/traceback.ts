/**
 * Turns a thrown value into Jupyter's error fields (ename, evalue, traceback)
 * with frames pointing at cell lines. Frames inside Spindle or Node's
 * internals are left out: they are noise for a learner.
 */
import path from "node:path";
import type { ErrorReplyFields } from "../ipc-messages";
import { describeThrown } from "../../errors";
import { parseCellFrame } from "./source-maps";
import type { CellDiagnostic } from "./compile/compiler";

const RED = "\u001b[0;31m";
const CYAN = "\u001b[0;36m";
const GREEN = "\u001b[0;32m";
const RESET = "\u001b[0m";
const SPINDLE_DIST = path.resolve(__dirname, "..", "..", "..");

/** Error fields for any thrown value. */
export function errorFields(err: unknown): ErrorReplyFields {
  if (!(err instanceof Error)) {
    const evalue = describeThrown(err);
    return { ename: "Error", evalue, traceback: [`${RED}Error${RESET}: ${evalue} (a non-Error value was thrown)`] };
  }
  const ename = err.name || "Error";
  const evalue = err.message;
  const traceback = [`${RED}${ename}${RESET}: ${evalue}`, ...userFrames(err.stack ?? "")];
  const cause = (err as { cause?: unknown }).cause;
  if (cause instanceof Error) {
    traceback.push(`${RED}Caused by ${cause.name}${RESET}: ${cause.message}`, ...userFrames(cause.stack ?? ""));
  }
  return { ename, evalue, traceback };
}

/** The frames of a stack trace worth showing, formatted with cell lines. */
export function userFrames(stack: string): string[] {
  const out: string[] = [];
  for (const line of stack.split("\n")) {
    if (!/^\s+at /.test(line)) continue;
    const frame = parseCellFrame(line);
    if (frame) {
      const where = `${CYAN}${frame.label === "" ? "cell" : `cell [${frame.label}]`}${RESET}, line ${frame.line}, column ${frame.column}`;
      out.push(
        `  at ${frame.fn ? `${GREEN}${frame.fn}${RESET} ` : ""}(${where})\n      ${frame.line} | ${frame.text.trimEnd()}`,
      );
      continue;
    }
    if (/\(node:|at node:|\(internal\/|cell\[/.test(line) || line.includes(SPINDLE_DIST)) continue;
    out.push(line.replace(/^\s+/, "  "));
  }
  return out;
}

/** Error fields for a cell that failed to type-check: every diagnostic with its line. */
export function compileErrorFields(label: string, diagnostics: CellDiagnostic[]): ErrorReplyFields {
  const first = diagnostics[0];
  const evalue = first
    ? `${first.message} (cell [${label}], line ${first.line})`
    : `cell [${label}] does not type-check`;
  const traceback = [`${RED}TypeScriptError${RESET}: the cell was not run because it does not type-check.`];
  for (const d of diagnostics) {
    const caret = " ".repeat(Math.max(0, d.column - 1)) + "^";
    traceback.push(
      `${CYAN}cell [${label}]${RESET}, line ${d.line}, column ${d.column}: ${RED}error TS${d.code}${RESET}: ${d.message}\n` +
        `      ${d.line} | ${d.sourceLine}\n        ${" ".repeat(String(d.line).length)}${caret}`,
    );
  }
  return { ename: "TypeScriptError", evalue, traceback };
}
