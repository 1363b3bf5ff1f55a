/**
 * The types of every name earlier cells declared, as the text of the virtual
 * `__cells__.d.ts` the next cell is checked against. Keyed by name, so a name
 * declared again replaces its old declaration (the newest wins), while all
 * other names keep theirs.
 */
import ts from "typescript";
import type { DeclarationKind, NamespaceInfo } from "../../../runtime/namespaces";
import type { DeclaredName } from "./cell-source";

interface Entry {
  kind: DeclaredName["kind"];
  /** Declaration statements (several for overloads or merged declarations). */
  text: string;
  /** The cell label that declared it, e.g. "cell [3]". */
  where: string;
}

/** Kinds of names that live on the cell store (imports are repeated per cell instead). */
const VALUE_KINDS = new Set<string>(["const", "let", "var", "function", "class", "enum", "namespace"]);

/** Declarations of all cell names so far; also answers `kindOf` for code shipping. */
export class DeclarationTable implements NamespaceInfo {
  readonly #entries = new Map<string, Entry>();
  #text: string | undefined = "";
  #version = 0;

  /** What a new cell needs in scope: store names and earlier import statements. */
  earlier(): { values: string[]; imports: Map<string, string> } {
    const values: string[] = [];
    const imports = new Map<string, string>();
    for (const [name, e] of this.#entries) {
      if (e.kind === "import") imports.set(name, e.text);
      else values.push(name);
    }
    return { values, imports };
  }

  /** Bumped whenever the declarations change. */
  get version(): number {
    return this.#version;
  }

  /** The text of `__cells__.d.ts`. */
  text(): string {
    if (this.#text === undefined) {
      this.#text = [...this.#entries.values()].map((e) => e.text).join("\n") + "\nexport {};\n";
    }
    return this.#text;
  }

  /** How a name on the store was declared (for code shipping); types and imports are not on it. */
  kindOf(name: string): DeclarationKind | undefined {
    const kind = this.#entries.get(name)?.kind;
    return kind !== undefined && VALUE_KINDS.has(kind) ? (kind as DeclarationKind) : undefined;
  }

  /** The cell that declared `name`. */
  whereIs(name: string): string | undefined {
    return this.#entries.get(name)?.where;
  }

  /** Every name with its kind, declaration text and the cell that declared it, in declaration order. */
  entries(): Array<{ name: string; kind: DeclaredName["kind"]; text: string; where: string }> {
    return [...this.#entries].map(([name, e]) => ({ name, ...e }));
  }

  /** Forgets the imports of packages that are gone (`%npm uninstall`), so later cells do not repeat them. */
  dropImportsOf(packages: string[]): string[] {
    const dropped: string[] = [];
    for (const [name, e] of this.#entries) {
      const from = e.kind === "import" ? /from\s+["']([^"']+)["']/.exec(e.text)?.[1] : undefined;
      if (from !== undefined && packages.some((p) => from === p || from.startsWith(`${p}/`))) {
        this.#entries.delete(name);
        dropped.push(name);
      }
    }
    if (dropped.length > 0) {
      this.#text = undefined;
      this.#version++;
    }
    return dropped;
  }

  /** Forgets every name (`%reset`). */
  clear(): void {
    this.#entries.clear();
    this.#text = undefined;
    this.#version++;
  }

  /**
   * Takes in what a cell declared: `dts` is TypeScript's declaration output for
   * the cell, `imports` the cell's import statements by name.
   */
  absorb(declared: DeclaredName[], dts: string, imports: Map<string, string>, where: string): void {
    if (declared.length === 0) return;
    const byName = splitDeclarations(dts);
    for (const { name, kind } of declared) {
      const text = imports.get(name) ?? byName.get(name)?.join("\n") ?? fallback(name, kind);
      this.#entries.set(name, { kind, text, where });
    }
    this.#text = undefined;
    this.#version++;
  }
}

/** A declaration for a name TypeScript could not describe (keeps later cells compiling). */
function fallback(name: string, kind: DeclaredName["kind"]): string {
  if (kind === "type" || kind === "interface") return `export type ${name} = any;`;
  return `export declare const ${name}: any;`;
}

/** Splits a module's declaration output into statements per exported name. */
function splitDeclarations(dts: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  const sf = ts.createSourceFile("cell.d.ts", dts, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS);
  const add = (name: string, text: string): void => {
    const list = out.get(name) ?? [];
    list.push(text);
    out.set(name, list);
  };
  for (const stmt of sf.statements) {
    if (ts.isImportDeclaration(stmt) || ts.isExportDeclaration(stmt) || ts.isImportEqualsDeclaration(stmt)) continue;
    if (ts.isVariableStatement(stmt)) {
      const keyword =
        stmt.declarationList.flags & ts.NodeFlags.Const
          ? "const"
          : stmt.declarationList.flags & ts.NodeFlags.Let
            ? "let"
            : "var";
      for (const decl of stmt.declarationList.declarations) {
        if (ts.isIdentifier(decl.name)) add(decl.name.text, `export declare ${keyword} ${decl.getText(sf)};`);
      }
      continue;
    }
    const name = (stmt as { name?: ts.Node }).name;
    if (name && ts.isIdentifier(name)) add(name.text, stmt.getText(sf));
  }
  return out;
}
