/**
 * Reads a function's real closure with `node:inspector` on the current thread:
 * the values its free names have (from the `[[Scopes]]` internal property),
 * where its source lives (`[[FunctionLocation]]`), and the script around it
 * (so we can tell a `const` from a `let`). A same-thread inspector session
 * answers synchronously, so this works inside `start()`.
 */
import { Session } from "node:inspector";
import { fileURLToPath } from "node:url";
import type { SourceOrigin } from "./types";

interface RemoteObject {
  type: string;
  subtype?: string;
  objectId?: string;
  description?: string;
  value?: unknown;
}
interface PropertyDescriptor {
  name: string;
  value?: RemoteObject;
}
interface PropertiesResult {
  result: PropertyDescriptor[];
  internalProperties?: PropertyDescriptor[];
}

/** The closure of one function, as far as it matters for shipping. */
export interface ClosureView {
  /** Values of the requested names that live in the function's closure (not on the global object). */
  values: Map<string, unknown>;
  /** The engine's script id and 0-based position of the function (as reported, near its start). */
  location?: { scriptId: string; line: number; column: number };
}

const SLOT = "__spindle_inspect_slot__";
const GROUP = "spindle-shipping";
let session: Session | undefined;
let denied = false;
/** Known scopes for when the inspector is denied: per function, then the cells' top level. */
const knownCaptures = new WeakMap<Function, ReadonlyMap<string, unknown>>();
/** Sources of recently unpacked functions with their captures: a function made inside one shares them. */
const shippedScopes: { source: string; values: ReadonlyMap<string, unknown> }[] = [];
const MAX_SHIPPED_SCOPES = 200;
let topLevel: (name: string) => { value: unknown } | undefined = () => undefined;
const scriptUrls = new Map<string, string>();
const scriptSources = new Map<string, string>();

/** False when this process may not use `node:inspector` (the permission model denies it). */
export function inspectorAvailable(): boolean {
  if (session || denied) return !denied;
  // Node 20's permission model disables the inspector outright (no flag grants it).
  if ((process as { permission?: unknown }).permission !== undefined) denied = true;
  if (denied) return false;
  try {
    connect();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "ERR_ACCESS_DENIED") throw err;
    denied = true;
  }
  return !denied;
}

/** True when the inspector is known to be denied, found without connecting to it (cheap: for the far side). */
export function inspectorDenied(): boolean {
  return denied || (process as { permission?: unknown }).permission !== undefined;
}

/** Registers what `fn` captured, for reading its closure without the inspector. */
export function registerCaptures(fn: Function, values: ReadonlyMap<string, unknown>): void {
  knownCaptures.set(fn, values);
  if (shippedScopes.length >= MAX_SHIPPED_SCOPES) shippedScopes.shift();
  shippedScopes.push({ source: Function.prototype.toString.call(fn), values });
}

/** Registers how names of the cells' top level resolve, for reading closures without the inspector. */
export function registerTopLevelScope(lookup: (name: string) => { value: unknown } | undefined): void {
  topLevel = lookup;
}

function connect(): void {
  if (!session) {
    const s = new Session();
    s.connect();
    session = s;
    session.on("Debugger.scriptParsed", (msg: { params: { scriptId: string; url: string } }) => {
      const url = msg.params.url;
      scriptUrls.set(msg.params.scriptId, url.startsWith("file://") ? fileURLToPath(url) : url);
    });
    // Script URLs and sources come from the Debugger domain; enabling it reports every loaded script once
    // (tens of ms) and then each new one as it is compiled. It does not slow running code down.
    s.post("Debugger.enable", {}, () => undefined);
  }
}

function post<T>(method: string, params: Record<string, unknown>): T {
  connect();
  let out: T | undefined;
  let failure: Error | null = null;
  session!.post(method, params, (err: Error | null, res?: object) => {
    failure = err;
    out = res as T;
  });
  if (failure) throw failure;
  if (out === undefined) throw new Error(`inspector call ${method} did not answer synchronously`);
  return out;
}

function takeSlot(): unknown {
  const g = globalThis as Record<string, unknown>;
  const value = g[SLOT];
  delete g[SLOT];
  return value;
}

/** Reads the values of `names` from `fn`'s closure scopes (innermost first) and its source location. */
export function readClosure(fn: Function, names: readonly string[]): ClosureView {
  if (!inspectorAvailable()) return readKnownClosure(fn, names);
  const g = globalThis as Record<string, unknown>;
  g[SLOT] = fn;
  try {
    const { result } = post<{ result: RemoteObject }>("Runtime.evaluate", {
      expression: `globalThis.${SLOT}`,
      objectGroup: GROUP,
    });
    delete g[SLOT];
    const own = post<PropertiesResult>("Runtime.getProperties", { objectId: result.objectId, ownProperties: true });
    const internal = own.internalProperties ?? [];
    const loc = internal.find((p) => p.name === "[[FunctionLocation]]")?.value?.value as
      | { scriptId: string; lineNumber: number; columnNumber: number }
      | undefined;
    const values = new Map<string, unknown>();
    const scopes = internal.find((p) => p.name === "[[Scopes]]")?.value;
    if (scopes?.objectId && names.length > 0) {
      const list = post<PropertiesResult>("Runtime.getProperties", { objectId: scopes.objectId, ownProperties: true });
      const wanted = new Set(names);
      for (const entry of list.result) {
        if (!/^\d+$/.test(entry.name) || !entry.value?.objectId) continue;
        if ((entry.value.description ?? "").startsWith("Global")) continue;
        // Each entry is { type, name, object }: `object` holds the scope's variables.
        post("Runtime.callFunctionOn", {
          objectId: entry.value.objectId,
          functionDeclaration: `function () { globalThis.${SLOT} = this.object; }`,
          objectGroup: GROUP,
        });
        const scope = takeSlot() as Record<string, unknown> | undefined;
        if (!scope) continue;
        for (const name of wanted) {
          if (Object.hasOwn(scope, name)) {
            values.set(name, scope[name]);
            wanted.delete(name);
          }
        }
        if (wanted.size === 0) break;
      }
    }
    return {
      values,
      location: loc ? { scriptId: loc.scriptId, line: loc.lineNumber, column: loc.columnNumber } : undefined,
    };
  } finally {
    delete g[SLOT];
    post("Runtime.releaseObjectGroup", { objectGroup: GROUP });
  }
}

/** The closure as far as registered scopes tell (no source location: traces then point at the shipped copy). */
function readKnownClosure(fn: Function, names: readonly string[]): ClosureView {
  // Its own captures, or those of the shipped function whose source holds it (it was made inside that one).
  let own = knownCaptures.get(fn);
  if (!own) {
    const source = Function.prototype.toString.call(fn);
    for (let i = shippedScopes.length - 1; i >= 0 && !own; i--) {
      const scope = shippedScopes[i]!;
      if (scope.source !== source && scope.source.includes(source)) own = scope.values;
    }
  }
  const values = new Map<string, unknown>();
  for (const name of names) {
    if (own?.has(name)) values.set(name, own.get(name));
    else if (!own) {
      const found = topLevel(name);
      if (found) values.set(name, found.value);
    }
  }
  return { values };
}

/** The URL (file name) of a script, e.g. `/path/app.js`, `node:internal/…` or `cell[3]`. */
export function scriptUrl(scriptId: string): string | undefined {
  return scriptUrls.get(scriptId);
}

/** The full source text of a script (cached). */
export function scriptSource(scriptId: string): string | undefined {
  let src = scriptSources.get(scriptId);
  if (src === undefined) {
    try {
      src = post<{ scriptSource: string }>("Debugger.getScriptSource", { scriptId }).scriptSource;
    } catch {
      return undefined;
    }
    scriptSources.set(scriptId, src);
  }
  return src;
}

/** Converts a 0-based line/column to an offset in `text`. */
export function offsetOf(text: string, line: number, column: number): number {
  let offset = 0;
  for (let i = 0; i < line; i++) {
    const nl = text.indexOf("\n", offset);
    if (nl < 0) return text.length;
    offset = nl + 1;
  }
  return offset + column;
}

/** Converts an offset in `text` to a 0-based line/column origin in `file`. */
export function originAt(text: string, offset: number, file: string): SourceOrigin {
  let line = 0;
  let lineStart = 0;
  for (let i = text.indexOf("\n"); i >= 0 && i < offset; i = text.indexOf("\n", i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { file, line, column: offset - lineStart };
}
