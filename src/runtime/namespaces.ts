/**
 * Objects that stand for a scope of names. The executor keeps every top-level
 * name of every cell on one such object (compiled cells read `__cells__1.x`);
 * code shipping uses this registry to treat `obj.x` in a thread's target as a
 * capture of the cell variable `x`, with the kind it was declared with.
 */

/** How a top-level name was declared in a cell. */
export type DeclarationKind = "const" | "let" | "var" | "function" | "class" | "enum" | "import" | "namespace";

/** What the registry knows of a namespace object. */
export interface NamespaceInfo {
  /** The declaration kind of `name`, or undefined when the namespace has no such name. */
  kindOf(name: string): DeclarationKind | undefined;
  /** Where `name` was declared, for error messages (e.g. "cell [3]"). */
  whereIs?(name: string): string | undefined;
}

const namespaces = new WeakMap<object, NamespaceInfo>();

/** Marks `obj` as a namespace of cell names. */
export function registerNamespace(obj: object, info: NamespaceInfo): void {
  namespaces.set(obj, info);
}

/** The namespace info of `obj`, when it is a registered namespace. */
export function namespaceInfo(obj: unknown): NamespaceInfo | undefined {
  return typeof obj === "object" && obj !== null ? namespaces.get(obj) : undefined;
}

/** How a compiled cell wrapped a `require` (TypeScript's `esModuleInterop` helpers). */
export type ImportInterop = "none" | "star" | "default";

/** A module a compiled cell bound to a local alias such as `threading_1`. */
export interface ImportAlias {
  /** What to `require` on the far side: a built-in name or an absolute file. */
  request: string;
  interop: ImportInterop;
}

const importAliases = new Map<string, ImportAlias>();

/**
 * Records that compiled cells call `require(request)` into the local `alias`.
 * Code shipping uses it for an alias a function's closure does not hold (V8
 * keeps only the variables a closure reads, so `class W extends threading_1.Thread`
 * evaluates the alias once and keeps nothing).
 */
export function registerImportAlias(alias: string, target: ImportAlias): void {
  importAliases.set(alias, target);
}

/** The module behind a compiled cell's import alias, if the executor recorded one. */
export function importAlias(alias: string): ImportAlias | undefined {
  return importAliases.get(alias);
}

const globalStandIns = new WeakSet<object>();

/**
 * Marks a function a cell sees in place of a global of the same name (the
 * executor's cell timers stand in for `setTimeout` & co.). Code shipping does
 * not send it: the far side uses its own global.
 */
export function registerGlobalStandIn(fn: object): void {
  globalStandIns.add(fn);
}

/** True for a function registered with `registerGlobalStandIn`. */
export function isGlobalStandIn(value: unknown): boolean {
  return typeof value === "function" && globalStandIns.has(value);
}
