/**
 * Finds the lines of a cell that are shell commands (`!cmd`, `const x = !cmd`)
 * or everyday magics (`%env`, `const here = %pwd`, `%%writefile`), and
 * rewrites each into one call of the cell's magic host, so the rest of the
 * cell is TypeScript and the magic's own text is never type-checked.
 *
 * A line counts only where TypeScript would start a statement there: not
 * inside a template literal, a comment or a string, and not where the line
 * before expects more of an expression (`a &&` then `!b`). The TypeScript
 * scanner walks the cell, and it skips every magic line it accepts, so the
 * quotes and backticks of a shell command never confuse the rest.
 *
 * Every rewrite keeps the cell's line count: diagnostics and tracebacks keep
 * their line numbers.
 */
import ts from "typescript";
import { MAGIC_NAMES } from "./help";

/** The module id a rewritten line requires to reach the cell's magic host. */
export const MAGICS_MODULE = "spindle:magics";

const HOST = `require(${JSON.stringify(MAGICS_MODULE)})`;

/** `const files = !ls` — a declaration whose value is a shell command's lines, when the cell says so (see `decideCaptures`). */
const CAPTURE = /^(const|let|var)\s+([A-Za-z_$][\w$]*)(\s*:\s*[^=]+?)?\s*=\s*!(.*)$/;
/** `const here = %pwd` — a declaration whose value is a line magic's result. */
const ASSIGN_MAGIC = /^(const|let|var)\s+([A-Za-z_$][\w$]*)(\s*:\s*[^=]+?)?\s*=\s*%([A-Za-z]\w*)\b(.*)$/;
/** `%name args` or `%name?` (help). */
const LINE_MAGIC = /^%([A-Za-z]\w*)(\?{1,2})?(?:\s+(.*))?$/;

/** The type a line magic's value has in `const x = %name …`. */
const RESULT_TYPES: Record<string, string> = { pwd: "string", cd: "string", env: "any", who: "string[]" };

/** A `const x = !cmd` line kept as TypeScript unless the cell does not check without reading it as a command. */
export interface CaptureCandidate {
  /** 0-based line. */
  line: number;
  /** The line's text as a shell capture. */
  rewritten: string;
}

/** A cell with its magic lines rewritten. */
export interface RewrittenCell {
  code: string;
  /** `const x = !word` lines left as TypeScript for now. */
  candidates: CaptureCandidate[];
  /** True when some line was a magic or a shell command. */
  changed: boolean;
}

/** Rewrites the magic and shell lines of `code` (see the file comment); pure. */
export function rewriteMagicLines(code: string): RewrittenCell {
  const writefile = /^%%writefile(?![\w?])(.*)$/.exec(firstLine(code).trim());
  if (writefile) {
    const rest = code.split("\n").slice(1);
    const body = rest.join("\n");
    const call = `await ${HOST}.writefile(${JSON.stringify((writefile[1] ?? "").trim())}, ${JSON.stringify(body)});`;
    return { code: [call, ...rest.map(() => "")].join("\n"), candidates: [], changed: true };
  }
  const lines = code.split("\n");
  const candidates: CaptureCandidate[] = [];
  let changed = false;
  forEachStatementLine(code, (index, text, atStatementStart) => {
    const indent = /^\s*/.exec(text)?.[0] ?? "";
    const trimmed = text.trim();
    const capture = CAPTURE.exec(trimmed);
    if (capture) {
      const [, keyword, name, annotation = ""] = capture;
      const command = (capture[4] ?? "").trim();
      const rewritten = `${indent}${keyword} ${name}${annotation} = (await ${HOST}.shell(${JSON.stringify(command)}, true)) as string[];`;
      candidates.push({ line: index, rewritten });
      return false; // decided later: `const ok = !done` is TypeScript
    }
    const assigned = ASSIGN_MAGIC.exec(trimmed);
    if (assigned && isLineMagic(assigned[4] ?? "")) {
      const [, keyword, name, annotation = "", magic = "", args = ""] = assigned;
      const type = annotation === "" ? ` as ${RESULT_TYPES[magic] ?? "any"}` : "";
      lines[index] =
        `${indent}${keyword} ${name}${annotation} = (await ${HOST}.line(${JSON.stringify(magic)}, ${JSON.stringify(args.trim())}))${type};`;
      changed = true;
      return true;
    }
    if (!atStatementStart) return false;
    if (trimmed.startsWith("!") && !trimmed.startsWith("!=")) {
      lines[index] = `${indent}await ${HOST}.shell(${JSON.stringify(trimmed.slice(1).trim())}, false);`;
      changed = true;
      return true;
    }
    const magic = LINE_MAGIC.exec(trimmed);
    if (magic && isLineMagic(magic[1] ?? "")) {
      const [, name = "", help, args = ""] = magic;
      lines[index] = help
        ? `${indent}${HOST}.help(${JSON.stringify(`%${name}`)});`
        : `${indent}await ${HOST}.line(${JSON.stringify(name)}, ${JSON.stringify(args.trim())});`;
      changed = true;
      return true;
    }
    const cellHelp = /^%%([A-Za-z]\w*)\?{1,2}$/.exec(trimmed);
    if (cellHelp && MAGIC_NAMES.cell.includes(cellHelp[1] ?? "")) {
      lines[index] = `${indent}${HOST}.help(${JSON.stringify(`%%${cellHelp[1]}`)});`;
      changed = true;
      return true;
    }
    return false;
  });
  return { code: changed ? lines.join("\n") : code, candidates, changed };
}

/**
 * `const x = !word …` is TypeScript's negation when the cell type-checks as
 * written, and a shell capture otherwise: `compile` is tried with the lines as
 * TypeScript first, and the lines that had errors become captures.
 */
export function applyCaptures<R extends { ok: boolean; diagnostics?: { line: number }[] }>(
  code: string,
  candidates: CaptureCandidate[],
  compile: (code: string) => R,
): R {
  const first = compile(code);
  if (first.ok || candidates.length === 0) return first;
  const failing = new Set((first.diagnostics ?? []).map((d) => d.line - 1));
  const chosen = candidates.filter((c) => failing.has(c.line));
  if (chosen.length === 0) return first;
  const lines = code.split("\n");
  for (const c of chosen) lines[c.line] = c.rewritten;
  return compile(lines.join("\n"));
}

/** The cell with its magic and shell lines blanked (same length), for completion and inspection of the TypeScript around them. */
export function blankMagicLines(code: string): string {
  if (/^%%/.test(code.trimStart())) return code.replace(/[^\n]/g, " ");
  const lines = code.split("\n");
  forEachStatementLine(code, (index, text, atStatementStart) => {
    const trimmed = text.trim();
    const magic =
      atStatementStart && (/^%%?\w/.test(trimmed) || (trimmed.startsWith("!") && !trimmed.startsWith("!=")));
    if (!magic && !ASSIGN_MAGIC.test(trimmed)) return false;
    lines[index] = text.replace(/[^\n]/g, " ");
    return true;
  });
  return lines.join("\n");
}

function isLineMagic(name: string): boolean {
  return MAGIC_NAMES.line.includes(name);
}

function firstLine(code: string): string {
  const nl = code.indexOf("\n");
  return nl < 0 ? code : code.slice(0, nl);
}

/**
 * Calls `visit` for each line whose first token starts a fresh line of code
 * (not inside a template, comment or string). `atStatementStart` is false when
 * the code before expects more of an expression. When `visit` returns true the
 * line is a magic: the scanner skips the rest of it.
 */
function forEachStatementLine(
  code: string,
  visit: (index: number, text: string, atStatementStart: boolean) => boolean,
): void {
  const lines = code.split("\n");
  const starts: number[] = [];
  let at = 0;
  for (const line of lines) {
    starts.push(at);
    at += line.length + 1;
  }
  const scanner = ts.createScanner(ts.ScriptTarget.ES2022, true, ts.LanguageVariant.Standard, code);
  const templates: Array<"brace" | "template"> = [];
  let previous: ts.SyntaxKind | undefined;
  let kind = next();

  function next(): ts.SyntaxKind {
    let k = scanner.scan();
    if (k === ts.SyntaxKind.SlashToken || k === ts.SyntaxKind.SlashEqualsToken) {
      if (!endsExpression(previous)) k = scanner.reScanSlashToken();
    }
    if (k === ts.SyntaxKind.TemplateHead) templates.push("template");
    else if (k === ts.SyntaxKind.OpenBraceToken) templates.push("brace");
    else if (k === ts.SyntaxKind.CloseBraceToken) {
      if (templates.at(-1) === "template") {
        k = scanner.reScanTemplateToken(false);
        if (k === ts.SyntaxKind.TemplateTail) templates.pop();
      } else {
        templates.pop();
      }
    }
    return k;
  }

  for (let i = 0; i < lines.length; i++) {
    const text = lines[i] ?? "";
    const first = (starts[i] ?? 0) + (/^\s*/.exec(text)?.[0].length ?? 0);
    while (kind !== ts.SyntaxKind.EndOfFileToken && scanner.getTokenEnd() <= first) {
      previous = kind;
      kind = next();
    }
    if (kind === ts.SyntaxKind.EndOfFileToken && text.trim() === "") continue;
    if (scanner.getTokenStart() !== first) continue; // inside a template, comment or string, or an empty line
    if (!/^[!%]|^(const|let|var)\s/.test(text.trim())) continue;
    if (visit(i, text, endsStatement(previous))) {
      const end = (starts[i] ?? 0) + text.length;
      scanner.resetTokenState(end);
      previous = ts.SyntaxKind.SemicolonToken;
      kind = next();
    }
  }
}

const EXPRESSION_ENDS = new Set<ts.SyntaxKind>([
  ts.SyntaxKind.Identifier,
  ts.SyntaxKind.PrivateIdentifier,
  ts.SyntaxKind.NumericLiteral,
  ts.SyntaxKind.BigIntLiteral,
  ts.SyntaxKind.StringLiteral,
  ts.SyntaxKind.NoSubstitutionTemplateLiteral,
  ts.SyntaxKind.TemplateTail,
  ts.SyntaxKind.RegularExpressionLiteral,
  ts.SyntaxKind.CloseParenToken,
  ts.SyntaxKind.CloseBracketToken,
  ts.SyntaxKind.CloseBraceToken,
  ts.SyntaxKind.ThisKeyword,
  ts.SyntaxKind.TrueKeyword,
  ts.SyntaxKind.FalseKeyword,
  ts.SyntaxKind.NullKeyword,
  ts.SyntaxKind.SuperKeyword,
  ts.SyntaxKind.PlusPlusToken,
  ts.SyntaxKind.MinusMinusToken,
]);

/** True when `kind` can be the last token of an expression (so a `/` after it divides). */
function endsExpression(kind: ts.SyntaxKind | undefined): boolean {
  return kind !== undefined && EXPRESSION_ENDS.has(kind);
}

/** True when a line after a token of `kind` starts a new statement (nothing before, or ASI would end it there). */
function endsStatement(kind: ts.SyntaxKind | undefined): boolean {
  if (kind === undefined) return true;
  if (kind === ts.SyntaxKind.SemicolonToken || kind === ts.SyntaxKind.OpenBraceToken) return true;
  if (kind === ts.SyntaxKind.ElseKeyword || kind === ts.SyntaxKind.DoKeyword) return true;
  return endsExpression(kind) && kind !== ts.SyntaxKind.PlusPlusToken && kind !== ts.SyntaxKind.MinusMinusToken;
}
