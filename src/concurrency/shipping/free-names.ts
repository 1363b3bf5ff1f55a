/**
 * Free names of a function's or class's source text (what `fn.toString()`
 * gives), found with the TypeScript compiler's parser. TypeScript is loaded on
 * first use only: a worker or child that merely unpacks never pays for it.
 */
import type * as TS from "typescript";
import { buildScopes, resolve, type BindingKind, type Scope, type ScopeMap } from "./scopes";
import { ShippingError } from "./errors";

let tsModule: typeof TS | undefined;

/** The TypeScript compiler module, loaded lazily. */
export function typescript(): typeof TS {
  tsModule ??= require("typescript") as typeof TS;
  return tsModule;
}

/**
 * The name that stands for a class's superclass in shipped code. A class's `extends` expression is evaluated
 * once, where the class is defined, so the names it uses are often not in the class's closure (a cell's import
 * used only there); shipping uses the superclass itself, `Object.getPrototypeOf(cls)`, under this name.
 */
export const SUPER_NAME = "__spindle_super__";

/** What a function's source uses from around it. */
export interface FreeNames {
  /** An expression that evaluates to the function (its source, wrapped when it is a method). */
  expr: string;
  /** Characters added before the source in `expr` (for stack-trace columns). */
  exprShift: number;
  /** Free names in order of first use. */
  names: string[];
  /** For a free name used only as `name.prop` / `name["prop"]`: the properties used. */
  members: Map<string, Set<string>>;
  /** True when the source declares or uses `#private` class members. */
  privateNames: boolean;
}

const cache = new Map<string, FreeNames>();

function parseDiagnosticsCount(sf: TS.SourceFile): number {
  return (sf as unknown as { parseDiagnostics?: unknown[] }).parseDiagnostics?.length ?? 0;
}

/** Finds the free names of a function or class given as source text; results are cached by text. */
export function freeNamesOf(source: string, what: string): FreeNames {
  const hit = cache.get(source);
  if (hit) return hit;
  const ts = typescript();
  // A plain function, arrow or class is an expression as it is; a method (`run() {…}`) is not, so it is
  // wrapped in an object literal and taken out again.
  const attempts: Array<{ text: string; expr: string; shift: number }> = [
    { text: `(${source}\n)`, expr: `(${source}\n)`, shift: 1 },
    { text: `({${source}\n})`, expr: `Object.values({${source}\n})[0]`, shift: "Object.values({".length },
  ];
  for (const attempt of attempts) {
    const sf = ts.createSourceFile("shipped.js", attempt.text, ts.ScriptTarget.Latest, true, ts.ScriptKind.JS);
    if (parseDiagnosticsCount(sf) > 0) continue;
    const heritage = superclassRange(ts, sf);
    const found = collect(ts, sf, heritage);
    let expr = attempt.expr;
    if (heritage) {
      // attempt.text and attempt.expr agree for the plain form, the only one a class takes.
      expr = `${attempt.text.slice(0, heritage[0])}${SUPER_NAME}${attempt.text.slice(heritage[1])}`;
      found.names.unshift(SUPER_NAME);
    }
    const result: FreeNames = { expr, exprShift: attempt.shift, ...found };
    if (cache.size > 2000) cache.clear();
    cache.set(source, result);
    return result;
  }
  throw new ShippingError(
    `${what} cannot be shipped: its source text does not parse as a function or class. Define it with \`function\`, an arrow or \`class\`.`,
    "ERR_SPINDLE_SHIP_BAD_SOURCE",
  );
}

/** The text range of `extends <expr>`'s expression when the source is a class with a superclass. */
function superclassRange(ts: typeof TS, sf: TS.SourceFile): [number, number] | undefined {
  const stmt = sf.statements[0];
  if (!stmt || !ts.isExpressionStatement(stmt)) return undefined;
  let e: TS.Expression = stmt.expression;
  while (ts.isParenthesizedExpression(e)) e = e.expression;
  if (!ts.isClassExpression(e)) return undefined;
  const clause = e.heritageClauses?.find((h) => h.token === ts.SyntaxKind.ExtendsKeyword);
  const expr = clause?.types[0]?.expression;
  return expr ? [expr.getStart(sf), expr.end] : undefined;
}

function collect(
  ts: typeof TS,
  sf: TS.SourceFile,
  skip: [number, number] | undefined,
): { names: string[]; members: Map<string, Set<string>>; privateNames: boolean } {
  const { uses, privateNames } = buildScopes(ts, sf);
  const names: string[] = [];
  const members = new Map<string, Set<string>>();
  const whole = new Set<string>();
  for (const use of uses) {
    if (resolve(use.scope, use.name)) continue;
    if (skip && use.pos >= skip[0] && use.pos < skip[1]) continue;
    if (!names.includes(use.name)) names.push(use.name);
    if (use.member === undefined) whole.add(use.name);
    else {
      let set = members.get(use.name);
      if (!set) members.set(use.name, (set = new Set()));
      set.add(use.member);
    }
  }
  for (const name of whole) members.delete(name);
  return { names, members, privateNames };
}

/** Where a function's text sits inside a whole script, and how each of its free names is declared there. */
export interface ScriptBindings {
  /** Offset of the function's first character in the script. */
  start: number;
  /** Declaration kind of each requested name as seen from the function; absent means global. */
  kinds: Map<string, BindingKind>;
}

/**
 * Finds `fnText` in `script` (the occurrence starting at or before `near`, the offset the engine reported)
 * and tells how the given free names are declared in the scopes around it.
 */
export function bindingsInScript(
  script: string,
  fnText: string,
  near: number,
  names: readonly string[],
): ScriptBindings | undefined {
  const start = script.lastIndexOf(fnText, near);
  if (start < 0) return undefined;
  const { sf, map } = parsedScript(script);
  let scope: Scope | undefined;
  for (const [node, s] of map.scopeOf) {
    if (node.getStart(sf) === start && node.end === start + fnText.length) {
      scope = s;
      break;
    }
  }
  if (!scope) return undefined;
  const kinds = new Map<string, BindingKind>();
  for (const name of names) {
    const found = resolve(scope, name);
    if (found) kinds.set(name, found.kind);
  }
  return { start, kinds };
}

const parsedScripts = new Map<string, { sf: TS.SourceFile; map: ScopeMap }>();

/** Parses a whole script once (the few most recent are kept). */
function parsedScript(script: string): { sf: TS.SourceFile; map: ScopeMap } {
  let hit = parsedScripts.get(script);
  if (!hit) {
    const ts = typescript();
    const sf = ts.createSourceFile("script.js", script, ts.ScriptTarget.Latest, true, ts.ScriptKind.JS);
    hit = { sf, map: buildScopes(ts, sf) };
    if (parsedScripts.size >= 8) parsedScripts.delete(parsedScripts.keys().next().value as string);
    parsedScripts.set(script, hit);
  }
  return hit;
}
