/**
 * Recognises values that are modules (what `require` returned, possibly
 * wrapped by TypeScript's `__importDefault` / `__importStar`) so the far side
 * can `require` them again instead of copying them, and loads them there.
 */
import { createRequire } from "node:module";
import path from "node:path";
import type { ModuleSpec, ShippedCall, ShippedValue } from "./types";

// Builtins recognised by identity. Not every builtin: loading some has side effects (warnings).
const COMMON_BUILTINS = [
  "assert",
  "assert/strict",
  "async_hooks",
  "buffer",
  "child_process",
  "crypto",
  "dns",
  "events",
  "fs",
  "fs/promises",
  "http",
  "https",
  "net",
  "os",
  "path",
  "perf_hooks",
  "querystring",
  "readline",
  "stream",
  "stream/promises",
  "string_decoder",
  "timers",
  "timers/promises",
  "url",
  "util",
  "util/types",
  "v8",
  "vm",
  "worker_threads",
  "zlib",
];
let byExports = new Map<unknown, ModuleSpec>();
let byMember = new Map<Function, ModuleSpec>();
let knownCacheSize = -1;

/** Records the functions and classes a module exports as plain data properties (getters are not run). */
function addMembers(exp: unknown, spec: Extract<ModuleSpec, { kind: "file" | "builtin" }>): void {
  if ((typeof exp !== "object" || exp === null) && typeof exp !== "function") return;
  for (const key of Object.getOwnPropertyNames(exp)) {
    const desc = Object.getOwnPropertyDescriptor(exp, key);
    const value: unknown = desc && "value" in desc ? desc.value : undefined;
    if (typeof value === "function" && !byMember.has(value)) byMember.set(value, { ...spec, member: key });
  }
}

function rebuild(): void {
  byExports = new Map();
  byMember = new Map();
  for (const name of COMMON_BUILTINS) {
    try {
      const exp: unknown = require(name);
      byExports.set(exp, { kind: "builtin", name });
      addMembers(exp, { kind: "builtin", name });
    } catch {
      // Some builtins refuse to load in some contexts (e.g. worker-only ones); they are just not recognised.
    }
  }
  for (const [file, mod] of Object.entries(require.cache)) {
    // The entry script is left out: loading it again on the far side would run the whole program.
    if (!mod || mod === require.main || !mod.loaded) continue;
    const exp: unknown = mod.exports;
    if ((typeof exp === "object" && exp !== null) || typeof exp === "function") {
      if (!byExports.has(exp)) byExports.set(exp, { kind: "file", file });
      addMembers(exp, { kind: "file", file });
    }
  }
  knownCacheSize = Object.keys(require.cache).length;
}

function lookup(value: unknown): ModuleSpec | undefined {
  if (knownCacheSize !== Object.keys(require.cache).length) rebuild();
  return byExports.get(value);
}

/** The module export a function or class is (a library's own function travels as a reference to it). */
export function exportSpecOf(fn: Function): ModuleSpec | undefined {
  if (knownCacheSize !== Object.keys(require.cache).length) rebuild();
  return byMember.get(fn);
}

/** Node's `require` function (a module's own), recognised by its shape. */
function requireDir(value: unknown): string | undefined {
  if (typeof value !== "function") return undefined;
  const r = value as { cache?: unknown; resolve?: { paths?: (request: string) => string[] | null } };
  if (r.cache !== require.cache || typeof r.resolve?.paths !== "function") return undefined;
  const first = r.resolve.paths("x")?.[0];
  return first ? path.dirname(first) : undefined;
}

/** The module spec of `value` when it is a module (or `require` itself), else undefined. */
export function moduleSpecOf(value: unknown): ModuleSpec | undefined {
  if ((typeof value !== "object" || value === null) && typeof value !== "function") return undefined;
  const dir = requireDir(value);
  if (dir !== undefined) return { kind: "require", dir };
  const direct = lookup(value);
  if (direct) return direct;
  if (typeof value !== "object" || value === null || !("default" in value)) return undefined;
  const inner = lookup((value as { default: unknown }).default);
  if (!inner || inner.kind === "require") return undefined;
  const keys = Object.keys(value);
  // __importDefault(m) → { default: m }; __importStar(m) → a copy of m's own properties plus `default: m`.
  const interop = keys.length === 1 && keys[0] === "default" ? "default" : "star";
  return { ...inner, interop };
}

/** Loads a module on the far side as the spec says. */
export function loadModule(spec: ModuleSpec): unknown {
  if (spec.kind === "require") return createRequire(path.join(spec.dir, "__spindle__.js"));
  const mod: unknown = require(spec.kind === "file" ? spec.file : spec.name);
  if (spec.member !== undefined) return (mod as Record<string, unknown>)[spec.member];
  if (spec.interop === "default") return { default: mod };
  if (spec.interop === "star") {
    const star: Record<string, unknown> = {};
    if (typeof mod === "object" && mod !== null) {
      for (const key of Object.keys(mod)) star[key] = (mod as Record<string, unknown>)[key];
    }
    star.default = mod;
    return star;
  }
  return mod;
}

/** The module files a shipped call `require`s on the far side (its target, captures and arguments). */
export function moduleFilesOf(call: ShippedCall): string[] {
  const files = new Set<string>();
  const visit = (v: ShippedValue): void => {
    if (v.k === "mod" && v.mod.kind === "file") files.add(v.mod.file);
    else if (v.k === "rec") for (const [, e] of v.entries) visit(e);
    else if (v.k === "arr") for (const e of v.items) visit(e);
  };
  for (const o of call.objects) {
    if (o.t === "fn") for (const [, c] of o.captures) visit(c);
    else {
      visit(o.cls);
      for (const [, f] of o.fields) visit(f);
    }
  }
  for (const ns of call.namespaces) for (const [, e] of ns.entries) visit(e);
  visit(call.target);
  for (const a of call.args) visit(a);
  if (call.kwargs) visit(call.kwargs);
  return [...files];
}
