/**
 * A small scope resolver over TypeScript's AST of JavaScript source: which
 * names a piece of code declares, which it uses, and how each used name was
 * declared around it. It knows JavaScript's scoping rules (var hoisting to
 * the function, let/const/class per block, parameters, catch variables,
 * named function/class expressions) — enough to find a function's free names.
 */
import type * as TS from "typescript";

/** How a name was declared. */
export type BindingKind = "const" | "let" | "var" | "function" | "class" | "param" | "catch";

/** A lexical scope: the names it declares, and its parent. */
export interface Scope {
  readonly parent: Scope | undefined;
  readonly isFunction: boolean;
  readonly decls: Map<string, BindingKind>;
}

/** One use of a name in the source. */
export interface NameUse {
  name: string;
  scope: Scope;
  /** `name.prop` or `name["prop"]`: the property; undefined when the name is used as a whole. */
  member: string | undefined;
  /** Position of the identifier in the parsed text. */
  pos: number;
}

/** Everything the resolver found in one parsed text. */
export interface ScopeMap {
  root: Scope;
  uses: NameUse[];
  /** The scope each function-like or class node sits in (keyed by the node). */
  scopeOf: Map<TS.Node, Scope>;
  /** True when the code declares or uses `#private` class members. */
  privateNames: boolean;
}

/** Looks `name` up from `scope` outward; returns the declaring scope and kind, if any. */
export function resolve(scope: Scope | undefined, name: string): { scope: Scope; kind: BindingKind } | undefined {
  for (let s = scope; s; s = s.parent) {
    const kind = s.decls.get(name);
    if (kind) return { scope: s, kind };
  }
  return undefined;
}

/** Builds scopes and collects every name use of a parsed source file. */
export function buildScopes(ts: typeof TS, sf: TS.SourceFile): ScopeMap {
  const uses: NameUse[] = [];
  const scopeOf = new Map<TS.Node, Scope>();
  let privateNames = false;
  const newScope = (parent: Scope | undefined, isFunction: boolean): Scope => ({
    parent,
    isFunction,
    decls: new Map(),
  });

  const declareBinding = (name: TS.BindingName, scope: Scope, kind: BindingKind): void => {
    if (ts.isIdentifier(name)) {
      scope.decls.set(name.text, kind);
      return;
    }
    for (const el of name.elements) if (!ts.isOmittedExpression(el)) declareBinding(el.name, scope, kind);
  };
  const functionScope = (scope: Scope): Scope => {
    let s = scope;
    while (!s.isFunction && s.parent) s = s.parent;
    return s;
  };
  const listKind = (list: TS.VariableDeclarationList): BindingKind => {
    if (list.flags & ts.NodeFlags.Const) return "const";
    if (list.flags & ts.NodeFlags.Let) return "let";
    return "var";
  };
  // var declarations anywhere in a function body (not inside nested functions) belong to the function.
  const hoistVars = (node: TS.Node, fnScope: Scope): void => {
    const visit = (n: TS.Node): void => {
      if (ts.isFunctionLike(n) || ts.isClassLike(n)) return;
      if (ts.isVariableDeclarationList(n) && listKind(n) === "var") {
        for (const d of n.declarations) declareBinding(d.name, fnScope, "var");
      }
      ts.forEachChild(n, visit);
    };
    ts.forEachChild(node, visit);
  };
  const hoistLexical = (statements: readonly TS.Node[], scope: Scope): void => {
    for (const st of statements) {
      if (ts.isVariableStatement(st)) {
        const kind = listKind(st.declarationList);
        if (kind !== "var") for (const d of st.declarationList.declarations) declareBinding(d.name, scope, kind);
      } else if (ts.isFunctionDeclaration(st) && st.name) {
        scope.decls.set(st.name.text, "function");
      } else if (ts.isClassDeclaration(st) && st.name) {
        scope.decls.set(st.name.text, "class");
      }
    }
  };

  const visitFunction = (fn: TS.SignatureDeclaration, scope: Scope): void => {
    scopeOf.set(fn, scope);
    if (fn.name && ts.isComputedPropertyName(fn.name)) visit(fn.name.expression, scope);
    let outer = scope;
    if (ts.isFunctionExpression(fn) && fn.name) {
      outer = newScope(scope, false);
      outer.decls.set(fn.name.text, "function");
    }
    const fnScope = newScope(outer, true);
    if (!ts.isArrowFunction(fn)) fnScope.decls.set("arguments", "param");
    for (const p of fn.parameters) declareBinding(p.name, fnScope, "param");
    const body = (fn as { body?: TS.Node }).body;
    if (body) hoistVars(body, fnScope);
    for (const p of fn.parameters) {
      visitBindingDefaults(p.name, fnScope);
      if (p.initializer) visit(p.initializer, fnScope);
    }
    if (body && ts.isBlock(body)) {
      hoistLexical(body.statements, fnScope);
      for (const st of body.statements) visit(st, fnScope);
    } else if (body) {
      visit(body, fnScope);
    }
  };
  const visitBindingDefaults = (name: TS.BindingName, scope: Scope): void => {
    if (ts.isIdentifier(name)) return;
    for (const el of name.elements) {
      if (ts.isOmittedExpression(el)) continue;
      if (el.propertyName && ts.isComputedPropertyName(el.propertyName)) visit(el.propertyName.expression, scope);
      if (el.initializer) visit(el.initializer, scope);
      visitBindingDefaults(el.name, scope);
    }
  };
  const visitClass = (cls: TS.ClassLikeDeclaration, scope: Scope): void => {
    scopeOf.set(cls, scope);
    const clsScope = newScope(scope, false);
    if (cls.name) clsScope.decls.set(cls.name.text, "class");
    for (const h of cls.heritageClauses ?? []) for (const t of h.types) visit(t.expression, clsScope);
    for (const m of cls.members) {
      if (m.name && ts.isPrivateIdentifier(m.name)) privateNames = true;
      if (ts.isFunctionLike(m)) {
        visitFunction(m, clsScope);
      } else if (ts.isPropertyDeclaration(m)) {
        if (ts.isComputedPropertyName(m.name)) visit(m.name.expression, clsScope);
        const init = newScope(clsScope, true);
        init.decls.set("arguments", "param");
        if (m.initializer) visit(m.initializer, init);
      } else if (ts.isClassStaticBlockDeclaration(m)) {
        const block = newScope(clsScope, true);
        hoistVars(m.body, block);
        hoistLexical(m.body.statements, block);
        for (const st of m.body.statements) visit(st, block);
      }
    }
  };
  const isDeclarationName = (id: TS.Identifier): boolean => {
    const p = id.parent;
    return (
      ((ts.isVariableDeclaration(p) ||
        ts.isParameter(p) ||
        ts.isFunctionDeclaration(p) ||
        ts.isFunctionExpression(p) ||
        ts.isClassDeclaration(p) ||
        ts.isClassExpression(p) ||
        ts.isBindingElement(p)) &&
        p.name === id) ||
      (ts.isBindingElement(p) && p.propertyName === id) ||
      ((ts.isPropertyAssignment(p) ||
        ts.isMethodDeclaration(p) ||
        ts.isPropertyDeclaration(p) ||
        ts.isGetAccessor(p) ||
        ts.isSetAccessor(p)) &&
        p.name === id) ||
      (ts.isPropertyAccessExpression(p) && p.name === id) ||
      ts.isLabeledStatement(p) ||
      ts.isBreakOrContinueStatement(p) ||
      ts.isMetaProperty(p)
    );
  };
  const recordUse = (id: TS.Identifier, scope: Scope): void => {
    const p = id.parent;
    let member: string | undefined;
    if (ts.isPropertyAccessExpression(p) && p.expression === id && ts.isIdentifier(p.name)) member = p.name.text;
    else if (ts.isElementAccessExpression(p) && p.expression === id && ts.isStringLiteralLike(p.argumentExpression)) {
      member = p.argumentExpression.text;
    }
    uses.push({ name: id.text, scope, member, pos: id.getStart(sf) });
  };

  const visit = (node: TS.Node, scope: Scope): void => {
    if (ts.isPrivateIdentifier(node)) {
      privateNames = true;
      return;
    }
    if (ts.isIdentifier(node)) {
      if (!isDeclarationName(node)) recordUse(node, scope);
      return;
    }
    if (ts.isFunctionLike(node)) {
      visitFunction(node, scope);
      return;
    }
    if (ts.isClassLike(node)) {
      visitClass(node, scope);
      return;
    }
    if (ts.isVariableDeclaration(node)) {
      visitBindingDefaults(node.name, scope);
      if (node.initializer) visit(node.initializer, scope);
      return;
    }
    if (ts.isBlock(node)) {
      const block = newScope(scope, false);
      hoistLexical(node.statements, block);
      for (const st of node.statements) visit(st, block);
      return;
    }
    if (ts.isForStatement(node) || ts.isForInStatement(node) || ts.isForOfStatement(node)) {
      const loop = newScope(scope, false);
      const init = node.initializer;
      if (init && ts.isVariableDeclarationList(init)) {
        const kind = listKind(init);
        for (const d of init.declarations) declareBinding(d.name, kind === "var" ? functionScope(scope) : loop, kind);
      }
      ts.forEachChild(node, (c) => visit(c, loop));
      return;
    }
    if (ts.isCaseBlock(node)) {
      const block = newScope(scope, false);
      for (const clause of node.clauses) hoistLexical(clause.statements, block);
      ts.forEachChild(node, (c) => visit(c, block));
      return;
    }
    if (ts.isCatchClause(node)) {
      const c = newScope(scope, false);
      if (node.variableDeclaration) declareBinding(node.variableDeclaration.name, c, "catch");
      visit(node.block, c);
      return;
    }
    ts.forEachChild(node, (c) => visit(c, scope));
  };

  const root = newScope(undefined, true);
  hoistVars(sf, root);
  hoistLexical(sf.statements, root);
  for (const st of sf.statements) visit(st, root);
  return { root, uses, scopeOf, privateNames };
}
