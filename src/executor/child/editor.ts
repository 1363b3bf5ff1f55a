/**
 * complete_request, inspect_request and is_complete_request: answered from
 * the same TypeScript service that checks cells, so completions know every
 * name earlier cells declared, with its type.
 */
import ts from "typescript";
import type { CompleteReply, InspectReply, IsCompleteReply } from "../ipc-messages";
import type { CellCompiler } from "./compile/compiler";

/** Jupyter counts cursor positions in Unicode code points; JavaScript strings in UTF-16 units. */
export function codePointsToUnits(text: string, cursor: number): number {
  let units = 0;
  let points = 0;
  while (points < cursor && units < text.length) {
    const cp = text.codePointAt(units) ?? 0;
    units += cp > 0xffff ? 2 : 1;
    points++;
  }
  return units;
}

/** The inverse of `codePointsToUnits`. */
export function unitsToCodePoints(text: string, units: number): number {
  return [...text.slice(0, units)].length;
}

/** complete_reply content for `code` with the cursor at `cursorPos` (code points). */
export function complete(compiler: CellCompiler, code: string, cursorPos: number): CompleteReply {
  const cursor = codePointsToUnits(code, cursorPos);
  let start = cursor;
  while (start > 0 && /[\w$]/.test(code[start - 1] ?? "")) start--;
  const prefix = code.slice(start, cursor);
  const view = compiler.editorView(code);
  const info = view.service.getCompletionsAtPosition(view.file, view.offset + cursor, {
    includeCompletionsForModuleExports: false,
    includeCompletionsWithInsertText: false,
  });
  const entries = (info?.entries ?? [])
    .filter((e) => e.name.startsWith(prefix) && !e.name.startsWith("__spindle") && e.name !== "__cells__1")
    .sort((a, b) => (a.sortText === b.sortText ? a.name.localeCompare(b.name) : a.sortText < b.sortText ? -1 : 1));
  const matches = [...new Set(entries.map((e) => e.name))];
  return {
    status: "ok",
    matches,
    cursor_start: unitsToCodePoints(code, start),
    cursor_end: unitsToCodePoints(code, cursor),
    metadata: {
      _jupyter_types_experimental: entries.map((e) => ({
        text: e.name,
        type: e.kind,
        start: unitsToCodePoints(code, start),
        end: unitsToCodePoints(code, cursor),
      })),
    },
  };
}

/** inspect_reply content: the type and documentation of the name at the cursor. */
export function inspect(compiler: CellCompiler, code: string, cursorPos: number): InspectReply {
  let cursor = codePointsToUnits(code, cursorPos);
  // Jupyter sends the cursor just after the name (e.g. after "sleep" in "sleep("): step back into it.
  if (cursor > 0 && !/[\w$]/.test(code[cursor] ?? "") && /[\w$]/.test(code[cursor - 1] ?? "")) cursor--;
  const view = compiler.editorView(code);
  const info = view.service.getQuickInfoAtPosition(view.file, view.offset + cursor);
  if (!info) return { status: "ok", found: false, data: {}, metadata: {} };
  const signature = ts.displayPartsToString(info.displayParts);
  const docs = ts.displayPartsToString(info.documentation);
  const tags = (info.tags ?? []).map((t) => `@${t.name} ${ts.displayPartsToString(t.text)}`.trim());
  const text = [signature, docs, ...tags].filter((s) => s.length > 0).join("\n\n");
  const markdown = ["```typescript", signature, "```", docs, ...tags.map((t) => `*${t}*`)]
    .filter((s) => s.length > 0)
    .join("\n");
  return { status: "ok", found: true, data: { "text/plain": text, "text/markdown": markdown }, metadata: {} };
}

/** is_complete_reply content: complete, incomplete (with an indent) or invalid. */
export function isComplete(code: string): IsCompleteReply {
  if (code.trim() === "") return { status: "complete" };
  const out = ts.transpileModule(code, {
    reportDiagnostics: true,
    compilerOptions: { target: ts.ScriptTarget.ES2022 },
  });
  const errors = out.diagnostics ?? [];
  if (errors.length === 0) return { status: "complete" };
  const end = code.trimEnd().length;
  const atEnd = errors.every(
    (d) =>
      (d.start ?? 0) >= end - 1 || /expected|Unterminated/.test(ts.flattenDiagnosticMessageText(d.messageText, "\n")),
  );
  const unclosed = openBrackets(code);
  if (
    atEnd &&
    (unclosed > 0 ||
      /Unterminated (template|string)/.test(
        errors.map((d) => ts.flattenDiagnosticMessageText(d.messageText, "")).join(" "),
      ))
  ) {
    const lastLine = code.split("\n").pop() ?? "";
    const indent = /^\s*/.exec(lastLine)?.[0] ?? "";
    return { status: "incomplete", indent: /[{([]\s*$/.test(code) ? `${indent}  ` : indent };
  }
  return { status: "invalid" };
}

/** Counts brackets left open, ignoring strings and comments roughly (good enough for Enter in a console). */
function openBrackets(code: string): number {
  const scanner = ts.createScanner(ts.ScriptTarget.ES2022, true, ts.LanguageVariant.Standard, code);
  let depth = 0;
  for (let kind = scanner.scan(); kind !== ts.SyntaxKind.EndOfFileToken; kind = scanner.scan()) {
    if (
      kind === ts.SyntaxKind.OpenBraceToken ||
      kind === ts.SyntaxKind.OpenParenToken ||
      kind === ts.SyntaxKind.OpenBracketToken
    )
      depth++;
    if (
      kind === ts.SyntaxKind.CloseBraceToken ||
      kind === ts.SyntaxKind.CloseParenToken ||
      kind === ts.SyntaxKind.CloseBracketToken
    )
      depth--;
  }
  return depth;
}
