/**
 * Compiler options for cells, and where `spindle/...` imports resolve from.
 */
import fs from "node:fs";
import path from "node:path";
import ts from "typescript";

/** The root of this Spindle checkout (holds package.json and dist/). */
export const SPINDLE_ROOT = path.resolve(__dirname, "..", "..", "..", "..", "..");

/** `spindle/<name>` → absolute path of the compiled module, from package.json#exports. */
export function spindleModules(): Map<string, string> {
  const pkg = JSON.parse(fs.readFileSync(path.join(SPINDLE_ROOT, "package.json"), "utf8")) as {
    exports?: Record<string, string>;
  };
  const out = new Map<string, string>();
  for (const [key, target] of Object.entries(pkg.exports ?? {})) {
    if (!key.startsWith("./") || !target.endsWith(".js")) continue;
    out.set(`spindle/${key.slice(2)}`, path.join(SPINDLE_ROOT, target));
  }
  return out;
}

/** The folder holding @types/node for Spindle (nested in an installed package, or hoisted next to it). */
function typesRoot(): string {
  try {
    return path.dirname(path.dirname(require.resolve("@types/node/package.json", { paths: [SPINDLE_ROOT] })));
  } catch {
    return path.join(SPINDLE_ROOT, "node_modules", "@types");
  }
}

/** Compiler options every cell is checked and emitted with. */
export function cellCompilerOptions(modules: Map<string, string>): ts.CompilerOptions {
  const paths: ts.MapLike<string[]> = {};
  for (const [spec, js] of modules) paths[spec] = [js.replace(/\.js$/, ".d.ts")];
  return {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.CommonJS,
    moduleResolution: ts.ModuleResolutionKind.Node10,
    lib: ["lib.es2022.d.ts", "lib.esnext.disposable.d.ts"],
    types: ["node"],
    typeRoots: [typesRoot()],
    baseUrl: SPINDLE_ROOT,
    paths,
    strict: true,
    // Learners port Python code: untyped parameters are allowed, everything else is strict.
    noImplicitAny: false,
    esModuleInterop: true,
    allowSyntheticDefaultImports: true,
    resolveJsonModule: true,
    skipLibCheck: true,
    declaration: true,
    sourceMap: true,
    inlineSources: false,
    newLine: ts.NewLineKind.LineFeed,
    noEmitOnError: false,
    useDefineForClassFields: true,
  };
}

/**
 * Diagnostics a cell may ignore: top-level await is fine (the cell runs inside an
 * async function), whatever the module setting says.
 */
export const IGNORED_DIAGNOSTICS = new Set([1375, 1378, 1431, 1432]);
