/**
 * The layer rules of docs/architecture.md, checked against the real imports of
 * src/: every static import, re-export, import() and require() with a relative
 * path. A failure names the importing file and the import that breaks the rule.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";

const ROOT = resolve(__dirname, "..", "..");
const SRC = join(ROOT, "src");

/** One import: the file that has it, the specifier as written, and the src file it resolves to. */
interface Edge {
  from: string;
  spec: string;
  to: string;
  /** `import type`, `export type` or `typeof import()`: erased from the compiled code. */
  typeOnly: boolean;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(full);
    return e.name.endsWith(".ts") && !e.name.endsWith(".d.ts") ? [full] : [];
  });
}

function resolveImport(from: string, spec: string): string | undefined {
  const base = resolve(dirname(from), spec.replace(/\.js$/, ""));
  for (const candidate of [`${base}.ts`, join(base, "index.ts")]) {
    if (existsSync(candidate) && statSync(candidate).isFile()) return candidate;
  }
  return undefined;
}

/** Strips comments so that an import shown in a doc comment does not count. */
function code(text: string): string {
  return text.replace(/\/\*[\s\S]*?\*\//g, "").replace(/(^|[^:"'`])\/\/.*$/gm, "$1");
}

function edgesOf(file: string): Edge[] {
  const text = code(readFileSync(file, "utf8"));
  const edges: Edge[] = [];
  // A statement start (import/export … from), import(), require(), or the type-level typeof import().
  const pattern =
    /(\b(?:import|export)\s+(type\s+)?(?:[^;"']*?\sfrom\s*)?|\b(typeof\s+)?import\s*\(\s*|\brequire\s*\(\s*)["'](\.{1,2}\/[^"']*)["']/g;
  for (const m of text.matchAll(pattern)) {
    const spec = m[4] as string;
    const to = resolveImport(file, spec);
    assert.ok(to, `${rel(file)}: import "${spec}" does not resolve to a file in src/`);
    edges.push({ from: file, spec, to, typeOnly: m[2] !== undefined || m[3] !== undefined });
  }
  return edges;
}

const rel = (file: string): string => relative(SRC, file);
const files = sourceFiles(SRC);
const edges = files.flatMap(edgesOf);
const show = (e: Edge): string => `${rel(e.from)} imports "${e.spec}" (${rel(e.to)})`;

/** True when `file` lies in one of `folders` (paths relative to src/, a file name or a folder). */
function inside(file: string, folders: readonly string[]): boolean {
  const r = rel(file);
  return folders.some((f) => r === f || r.startsWith(`${f}/`));
}

/** Layers, lowest first: a file may import its own layer and those below, never one above. */
const LAYERS: readonly (readonly string[])[] = [
  ["errors.ts", "system", "recorder"],
  ["protocol", "runtime", "sandbox"],
  ["nbformat", "display", "concurrency", "io", "comm", "widgets", "executor/ipc-messages.ts"],
  ["timing", "explore", "executor", "client"],
  ["kernel", "grader"],
  ["cli"],
];

function layerOf(file: string): number {
  const i = LAYERS.findIndex((folders) => inside(file, folders));
  assert.notEqual(i, -1, `${rel(file)} is in no layer: add its folder to LAYERS here and to docs/architecture.md`);
  return i;
}

/** Code that runs on the far side of a thread or process boundary, and the only files its host side shares with it. */
const FAR_SIDES: readonly { side: string[]; shared: string[] }[] = [
  { side: ["executor/child", "executor/snapshot/entry.ts"], shared: ["executor/ipc-messages.ts"] },
  { side: ["concurrency/multiprocessing-child"], shared: ["concurrency/multiprocessing/messages.ts"] },
  { side: ["concurrency/threading-worker"], shared: ["concurrency/threading/messages.ts"] },
];

function violations(rule: (e: Edge) => boolean): string[] {
  return edges.filter(rule).map(show);
}

test("every src file resolves its relative imports and sits in a layer", () => {
  assert.ok(files.length > 100, `found only ${files.length} files under ${SRC}`);
  for (const f of files) layerOf(f);
});

test("no import cycles at run time (type-only imports are erased, so they may point back)", () => {
  const next = new Map<string, Edge[]>();
  for (const e of edges.filter((x) => !x.typeOnly)) next.set(e.from, [...(next.get(e.from) ?? []), e]);
  const state = new Map<string, "open" | "done">();
  const stack: Edge[] = [];
  const cycles: string[] = [];
  const visit = (file: string): void => {
    state.set(file, "open");
    for (const e of next.get(file) ?? []) {
      const s = state.get(e.to);
      if (s === "open") {
        const start = stack.findIndex((x) => x.from === e.to);
        cycles.push([...stack.slice(start === -1 ? 0 : start), e].map(show).join("\n    → "));
      } else if (s === undefined) {
        stack.push(e);
        visit(e.to);
        stack.pop();
      }
    }
    state.set(file, "done");
  };
  for (const f of files) if (!state.has(f)) visit(f);
  assert.deepEqual(cycles, [], `import cycles:\n  ${cycles.join("\n  ")}`);
});

test("no file imports a layer above its own", () => {
  const bad = violations((e) => layerOf(e.to) > layerOf(e.from)).map((v) => {
    const e = edges.find((x) => show(x) === v) as Edge;
    return `${v}: layer ${layerOf(e.from)} (${LAYERS[layerOf(e.from)]?.join(", ")}) may not import layer ${layerOf(e.to)}`;
  });
  assert.deepEqual(bad, []);
});

test("protocol imports nothing above it (only errors.ts and system/)", () => {
  assert.deepEqual(
    violations((e) => inside(e.from, ["protocol"]) && !inside(e.to, ["protocol", "errors.ts", "system"])),
    [],
  );
});

test("host code never imports the worker or child side of a boundary", () => {
  const bad = violations((e) => FAR_SIDES.some(({ side }) => inside(e.to, side) && !inside(e.from, side)));
  assert.deepEqual(bad, []);
});

test("the far side of a boundary imports from its host only the shared message file", () => {
  // A child may use the library it serves (multiprocessing's child runs Process targets), but
  // never the host's process or worker management, so the two sides stay independent.
  const hosts: Record<string, string[]> = {
    "executor/child": ["executor/host.ts", "executor/early-start.ts", "executor/snapshot/build.ts"],
    "concurrency/multiprocessing-child": [
      "concurrency/multiprocessing/spawn",
      "concurrency/multiprocessing/pool/transport.ts",
    ],
    "concurrency/threading-worker": ["concurrency/threading/pool.ts", "concurrency/threading/runner.ts"],
  };
  const bad = violations((e) =>
    Object.entries(hosts).some(([side, host]) => inside(e.from, [side]) && inside(e.to, host)),
  );
  assert.deepEqual(bad, []);
});

test("concurrency never imports display (only its escape helpers, which import nothing)", () => {
  const escapeSource = readFileSync(join(SRC, "display", "escape.ts"), "utf8");
  assert.doesNotMatch(
    code(escapeSource),
    /\bimport\b|\brequire\(/,
    "display/escape.ts must stay a leaf for this exception to hold",
  );
  assert.deepEqual(
    violations(
      (e) => inside(e.from, ["concurrency"]) && inside(e.to, ["display"]) && rel(e.to) !== "display/escape.ts",
    ),
    [],
  );
});

test("client does not import kernel", () => {
  assert.deepEqual(
    violations((e) => inside(e.from, ["client"]) && inside(e.to, ["kernel"])),
    [],
  );
});

test("the recorder, the lowest layer, imports nothing outside itself but errors.ts", () => {
  assert.deepEqual(
    violations((e) => inside(e.from, ["recorder"]) && !inside(e.to, ["recorder", "errors.ts"])),
    [],
  );
});
