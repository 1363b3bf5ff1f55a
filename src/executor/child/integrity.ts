/**
 * Tamper detection for grading. When the executor starts — before any user
 * code — it records what test cells rely on: the identity of every property
 * of the built-ins (JSON, Error, Object/Array/Promise/Function prototypes,
 * console, process, ...) and of `spindle/grading` (its module record, its
 * exports, `Points`). After each cell the grader asks for a comparison; the
 * comparison runs on functions captured at start, so a cell that replaces
 * `Object.keys` or `JSON.stringify` cannot blind it. What changed is named,
 * e.g. "JSON.stringify replaced", "Array.prototype.map replaced",
 * "spindle/grading module replaced".
 */
import { spindleModules } from "./compile/options";
import { refusedSignals } from "./kill-guard";

export { INTEGRITY_KEY } from "../integrity-key";

// Captured at load: a cell that patches these later cannot blind the check. Loops index arrays
// (never iterators, which a cell could replace).
const ownKeys = Reflect.ownKeys;
const getDescriptor = Reflect.getOwnPropertyDescriptor;
const isFrozen = Object.isFrozen;
const same = Object.is;
const StringOf = String;
const globalRef = globalThis;
const requireCache = require.cache;

interface Watched {
  name: string;
  target: object;
  /** Report new properties too (prototype pollution), not only replaced ones. */
  strictKeys: boolean;
  /** Only function-valued properties (objects whose data legitimately changes, such as process). */
  functionsOnly: boolean;
  keys: PropertyKey[];
  descriptors: PropertyDescriptor[];
}

const GLOBAL_NAMES = [
  "Object",
  "Array",
  "Promise",
  "JSON",
  "Error",
  "TypeError",
  "RangeError",
  "Function",
  "Reflect",
  "Math",
  "String",
  "Number",
  "Boolean",
  "Symbol",
  "Map",
  "Set",
  "RegExp",
  "Date",
  "console",
  "process",
  "Proxy",
  "BigInt",
];
const CONSTRUCTORS = [
  "Object",
  "Array",
  "Promise",
  "Error",
  "Function",
  "String",
  "Number",
  "Symbol",
  "Map",
  "Set",
  "RegExp",
  "Date",
  "Boolean",
  "BigInt",
];

let watched: Watched[] = [];
let globalValues: unknown[] = [];
let grading: { path: string; module: unknown; exports: object } | undefined;

/** Records the pristine state; call once, before any user code. */
export function snapshotIntegrity(): void {
  const g = globalRef as unknown as Record<string, unknown>;
  globalValues = [];
  for (let i = 0; i < GLOBAL_NAMES.length; i++) globalValues[i] = g[GLOBAL_NAMES[i]!];
  watched = [];
  const watch = (name: string, target: unknown, strictKeys: boolean, functionsOnly = false): void => {
    if ((typeof target !== "object" && typeof target !== "function") || target === null) return;
    const keys = ownKeys(target);
    const descriptors: PropertyDescriptor[] = [];
    for (let i = 0; i < keys.length; i++) descriptors[i] = getDescriptor(target, keys[i]!)!;
    watched[watched.length] = { name, target, strictKeys, functionsOnly, keys, descriptors };
  };
  for (let i = 0; i < CONSTRUCTORS.length; i++) {
    const name = CONSTRUCTORS[i]!;
    const ctor = g[name] as { prototype?: object } | undefined;
    watch(`${name}.prototype`, ctor?.prototype, true);
    watch(name, ctor, false);
  }
  watch("JSON", g.JSON, true);
  watch("Reflect", g.Reflect, true);
  watch("Math", g.Math, false);
  watch("console", g.console, false, true);
  watch("process", g.process, false, true);
  const path = spindleModules().get("spindle/grading");
  if (path) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const exports = require(path) as { Points?: { prototype?: object } };
    grading = { path, module: requireCache[path], exports };
    watch("spindle/grading", exports, true);
    watch("Points", exports.Points, true);
    watch("Points.prototype", exports.Points?.prototype, true);
  }
}

/** What changed since the snapshot, one phrase per finding (empty: nothing that tests rely on). */
export function checkIntegrity(): string[] {
  const found: string[] = [];
  const add = (text: string): void => {
    found[found.length] = text;
  };
  const g = globalRef as unknown as Record<string, unknown>;
  for (let i = 0; i < GLOBAL_NAMES.length; i++)
    if (!same(g[GLOBAL_NAMES[i]!], globalValues[i])) add(`global ${GLOBAL_NAMES[i]} replaced`);
  for (let w = 0; w < watched.length; w++) {
    const { name, target, strictKeys, functionsOnly, keys, descriptors } = watched[w]!;
    const label = (key: PropertyKey): string => `${name}.${StringOf(typeof key === "symbol" ? key.description : key)}`;
    for (let i = 0; i < keys.length; i++) {
      const before = descriptors[i]!;
      const now = getDescriptor(target, keys[i]!);
      if (functionsOnly && typeof before.value !== "function" && !before.get) continue;
      if (!now) add(`${label(keys[i]!)} deleted`);
      else if (!same(now.value, before.value) || now.get !== before.get || now.set !== before.set)
        add(`${label(keys[i]!)} replaced`);
    }
    if (!strictKeys) continue;
    const current = ownKeys(target);
    for (let i = 0; i < current.length; i++) {
      let known = false;
      for (let j = 0; j < keys.length && !known; j++) known = keys[j] === current[i];
      if (!known) add(`${label(current[i]!)} added`);
    }
  }
  if (grading) {
    const mod = requireCache[grading.path] as { exports?: unknown } | undefined;
    if (mod !== grading.module) add("spindle/grading module replaced");
    else if (mod && mod.exports !== grading.exports) add("spindle/grading exports replaced");
    if (!isFrozen(grading.exports)) add("spindle/grading unfrozen");
  }
  // Only at the permission level does the guard refuse signals; under namespaces a kill stays in the sandbox.
  if (refusedSignals() > 0) add("tried to signal another process");
  return found;
}
