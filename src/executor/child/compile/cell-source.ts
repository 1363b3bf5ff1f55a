/**
 * Turns a cell's TypeScript into a module whose top-level names all live on
 * the shared cell store: every top-level declaration gets `export`, earlier
 * cells' names are imported from the virtual module `./__cells__`, and the
 * cell is always a module. TypeScript's CommonJS emit then rewrites every
 * reference to `exports.x` / `__cells__1.x`, so the newest declaration of a
 * name wins and closures from earlier cells see the latest values.
 * Earlier cells' imports are repeated in front of the cell instead (modules
 * are cached, so this costs nothing at run time and keeps their types exact).
 *
 * Edits never add a line before the user's code, so diagnostics and stack
 * traces keep the cell's line numbers (only line 1's columns shift, by
 * `columnShift`).
 */
import ts from "typescript";
import type { DeclarationKind } from "../../../runtime/namespaces";

/** The virtual module every cell imports earlier names from. */
export const CELLS_MODULE = "./__cells__";

/** A top-level name a cell declares, and how. */
export interface DeclaredName {
  name: string;
  kind: DeclarationKind | "type" | "interface";
}

/** The analysis of one cell's source. */
export interface CellSource {
  /** The source to compile (user code plus the edits described above). */
  text: string;
  /** Characters inserted at the start of line 1. */
  columnShift: number;
  /** Names the cell declares at top level (values and types). */
  declared: DeclaredName[];
  /** Imports of the cell, one single-name import statement per imported name (repeated in later cells). */
  imports: Map<string, string>;
  /** Offset in `text` just past the user's code (what follows is Spindle's tail). */
  userEnd: number;
  /** Maps an offset in `text` back to an offset in the user's code. */
  toOriginal(offset: number): number;
}

/** What earlier cells declared: names on the store, and import statements by name. */
export interface EarlierNames {
  values: Iterable<string>;
  imports: Map<string, string>;
}

/** The text put before line 1 of a cell: earlier names (minus those `own` redeclares) and earlier imports. */
export function earlierPrefix(earlier: EarlierNames, own: Set<string>): string {
  const names = [...earlier.values].filter((n) => !own.has(n));
  const parts = names.length > 0 ? [`import { ${names.join(", ")} } from "${CELLS_MODULE}";`] : [];
  for (const [name, statement] of earlier.imports) if (!own.has(name)) parts.push(statement);
  return parts.length > 0 ? `${parts.join(" ")} ` : "";
}

/** Rewrites `code` so its top-level names are exported and earlier names are in scope. */
export function prepareCellSource(code: string, earlier: EarlierNames): CellSource {
  const sf = ts.createSourceFile("cell.ts", code, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS);
  const declared: DeclaredName[] = [];
  const inserts: { pos: number; text: string }[] = [];
  const imports = new Map<string, string>();

  for (const stmt of sf.statements) {
    if (ts.isImportDeclaration(stmt)) {
      collectImport(stmt, declared, imports);
      continue;
    }
    if (ts.isImportEqualsDeclaration(stmt)) {
      declared.push({ name: stmt.name.text, kind: "import" });
      imports.set(stmt.name.text, stmt.getText(sf).replace(/^export\s+/, ""));
      continue;
    }
    const names = declaredBy(stmt);
    if (names.length === 0) continue;
    declared.push(...names);
    if (!hasModifier(stmt, ts.SyntaxKind.ExportKeyword)) inserts.push({ pos: stmt.getStart(sf), text: "export " });
  }

  inserts.sort((a, b) => a.pos - b.pos);
  let text = code;
  for (const ins of [...inserts].reverse()) {
    text = text.slice(0, ins.pos) + ins.text + text.slice(ins.pos);
  }
  const prefix = earlierPrefix(earlier, new Set(declared.map((d) => d.name)));
  const userEnd = prefix.length + text.length;
  const toOriginal = (offset: number): number => {
    const rest = offset - prefix.length;
    if (rest <= 0) return 0;
    let shift = 0;
    for (const ins of inserts) {
      const at = ins.pos + shift;
      if (rest < at) break;
      if (rest < at + ins.text.length) return ins.pos;
      shift += ins.text.length;
    }
    return Math.min(rest - shift, code.length);
  };
  return {
    text: `${prefix}${text}\nexport {};\n`,
    columnShift: prefix.length,
    declared,
    imports,
    userEnd,
    toOriginal,
  };
}

function collectImport(stmt: ts.ImportDeclaration, declared: DeclaredName[], imports: Map<string, string>): void {
  const clause = stmt.importClause;
  if (!clause) return;
  const from = stmt.moduleSpecifier.getText();
  const typeOnly = clause.isTypeOnly;
  const add = (name: string, specTypeOnly: boolean, binding: string): void => {
    const isType = typeOnly || specTypeOnly;
    declared.push({ name, kind: "import" });
    imports.set(name, `import ${isType ? "type " : ""}${binding} from ${from};`);
  };
  if (clause.name) add(clause.name.text, false, clause.name.text);
  const bindings = clause.namedBindings;
  if (bindings && ts.isNamespaceImport(bindings)) add(bindings.name.text, false, `* as ${bindings.name.text}`);
  if (bindings && ts.isNamedImports(bindings)) {
    for (const el of bindings.elements) {
      const spec = el.propertyName ? `${el.propertyName.getText()} as ${el.name.text}` : el.name.text;
      add(el.name.text, el.isTypeOnly, `{ ${spec} }`);
    }
  }
}

function declaredBy(stmt: ts.Statement): DeclaredName[] {
  if (hasModifier(stmt, ts.SyntaxKind.DefaultKeyword)) return [];
  if (ts.isVariableStatement(stmt)) {
    const flags = stmt.declarationList.flags;
    const scope = flags & ts.NodeFlags.BlockScoped;
    // `using` declarations cannot be exported; they stay local to the cell.
    if (scope === ts.NodeFlags.Using || scope === ts.NodeFlags.AwaitUsing) return [];
    const kind: DeclarationKind = flags & ts.NodeFlags.Const ? "const" : flags & ts.NodeFlags.Let ? "let" : "var";
    return stmt.declarationList.declarations.flatMap((d) => bindingNames(d.name)).map((name) => ({ name, kind }));
  }
  if (ts.isFunctionDeclaration(stmt) && stmt.name) return [{ name: stmt.name.text, kind: "function" }];
  if (ts.isClassDeclaration(stmt) && stmt.name) return [{ name: stmt.name.text, kind: "class" }];
  if (ts.isEnumDeclaration(stmt)) return [{ name: stmt.name.text, kind: "enum" }];
  if (ts.isInterfaceDeclaration(stmt)) return [{ name: stmt.name.text, kind: "interface" }];
  if (ts.isTypeAliasDeclaration(stmt)) return [{ name: stmt.name.text, kind: "type" }];
  if (ts.isModuleDeclaration(stmt) && ts.isIdentifier(stmt.name) && !(stmt.flags & ts.NodeFlags.GlobalAugmentation)) {
    return [{ name: stmt.name.text, kind: "namespace" }];
  }
  return [];
}

function bindingNames(name: ts.BindingName): string[] {
  if (ts.isIdentifier(name)) return [name.text];
  const out: string[] = [];
  for (const el of name.elements) {
    if (ts.isOmittedExpression(el)) continue;
    out.push(...bindingNames(el.name));
  }
  return out;
}

function hasModifier(node: ts.Node, kind: ts.SyntaxKind): boolean {
  return ts.canHaveModifiers(node) && (ts.getModifiers(node) ?? []).some((m) => m.kind === kind);
}
