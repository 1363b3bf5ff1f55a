/**
 * `%who`, `%whos` and `%reset`: the names earlier cells defined, read from
 * the declarations the checker keeps (so each has its TypeScript type).
 */
import util from "node:util";
import ts from "typescript";
import { display } from "../../../display/index";
import { writeStream } from "../../../runtime/cell-context";
import { MagicError } from "../../../timing/magics";
import type { DeclarationTable } from "../compile/declarations";

/** One name for `%who` / `%whos`. */
export interface NameInfo {
  name: string;
  kind: string;
  type: string;
  value: string;
}

/** The names cells defined, with kind, TypeScript type and a short view of the value. */
export function namesOf(declarations: DeclarationTable, store: Record<string, unknown>): NameInfo[] {
  return declarations.entries().map(({ name, kind, text }) => {
    const onStore = Object.prototype.hasOwnProperty.call(store, name);
    return {
      name,
      kind,
      type: typeOf(name, kind, text),
      value: onStore && kind !== "function" && kind !== "class" ? preview(store[name]) : "",
    };
  });
}

/** `%who [TYPE]`: the names on one line, or a note when there are none; returns them. */
export function who(infos: NameInfo[], typeFilter: string): string[] {
  const names = infos
    .filter((i) => typeFilter === "" || i.type === typeFilter || i.kind === typeFilter)
    .map((i) => i.name);
  writeStream(
    "stdout",
    names.length === 0
      ? `No names defined${typeFilter ? ` of type ${typeFilter}` : ""} yet.\n`
      : `${names.join("\t")}\n`,
  );
  return names;
}

/** `%whos`: a table of the names (HTML, plain text, Markdown). */
export function whos(infos: NameInfo[]): void {
  if (infos.length === 0) {
    writeStream("stdout", "No names defined yet.\n");
    return;
  }
  display.table(
    infos.map((i) => ({ Name: i.name, Kind: i.kind, Type: i.type, Value: i.value })),
    { columns: ["Name", "Kind", "Type", "Value"] },
  );
}

/** `%reset [-f]`: asks unless -f, then forgets every name (the store and the declarations). */
export async function reset(
  args: string,
  declarations: DeclarationTable,
  store: Record<string, unknown>,
  ask: (prompt: string) => Promise<string>,
): Promise<void> {
  const force = args.split(/\s+/).includes("-f");
  if (args.replace(/(^|\s)-f(\s|$)/g, " ").trim() !== "")
    throw new MagicError(
      `%reset takes only -f (got "${args}"). It forgets every name; restart the kernel to start over completely.`,
    );
  if (!force) {
    let answer: string;
    try {
      answer = await ask("Once deleted, names cannot be recovered. Proceed (y/[n])? ");
    } catch (err) {
      if ((err as { code?: string }).code === "ERR_SPINDLE_INTERRUPTED") throw err;
      throw new MagicError("%reset asks for confirmation, and this frontend accepts no input: use %reset -f.");
    }
    if (!/^y(es)?$/i.test(answer.trim())) {
      writeStream("stdout", "Nothing done.\n");
      return;
    }
  }
  const count = declarations.entries().length;
  for (const key of Object.keys(store)) delete store[key];
  declarations.clear();
  writeStream("stdout", `Forgot ${count} name${count === 1 ? "" : "s"}.\n`);
}

/** The TypeScript type of a declared name, from its declaration text. */
function typeOf(name: string, kind: string, text: string): string {
  if (kind === "class" || kind === "interface" || kind === "type" || kind === "enum" || kind === "namespace")
    return kind;
  if (kind === "import") return "import";
  const sf = ts.createSourceFile("d.ts", text, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS);
  for (const stmt of sf.statements) {
    if (ts.isVariableStatement(stmt)) {
      const decl = stmt.declarationList.declarations.find((d) => ts.isIdentifier(d.name) && d.name.text === name);
      if (decl?.type) return oneLine(decl.type.getText(sf));
      if (decl?.initializer) return literalType(decl.initializer);
    }
    if (ts.isFunctionDeclaration(stmt) && stmt.name?.text === name) {
      const params = stmt.parameters.map((p) => p.getText(sf)).join(", ");
      return oneLine(`(${params}) => ${stmt.type?.getText(sf) ?? "void"}`);
    }
  }
  return "any";
}

/** `declare const x = 5;` is how TypeScript declares a literal-valued const: name the literal's type. */
function literalType(init: ts.Expression): string {
  if (ts.isNumericLiteral(init) || (ts.isPrefixUnaryExpression(init) && ts.isNumericLiteral(init.operand)))
    return "number";
  if (ts.isStringLiteral(init) || ts.isNoSubstitutionTemplateLiteral(init)) return "string";
  if (ts.isBigIntLiteral(init)) return "bigint";
  if (init.kind === ts.SyntaxKind.TrueKeyword || init.kind === ts.SyntaxKind.FalseKeyword) return "boolean";
  return "any";
}

function oneLine(text: string): string {
  const flat = text.replace(/\s+/g, " ");
  return flat.length > 80 ? `${flat.slice(0, 77)}...` : flat;
}

function preview(value: unknown): string {
  const text = util.inspect(value, { depth: 1, breakLength: Infinity, maxArrayLength: 10, maxStringLength: 60 });
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
