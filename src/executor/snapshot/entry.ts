/**
 * Entry script of the executor's V8 start-up snapshot (`node --build-snapshot`).
 *
 * Loading TypeScript and parsing the library declarations (lib.*.d.ts and
 * @types/node) takes over a second; a snapshot taken after that work lets a
 * new executor start with it already done. Snapshot entries may only
 * `require` Node's built-in modules, so this script loads the few CommonJS
 * files it needs (TypeScript and the cell compiler) itself, and when the
 * snapshot is deserialized it hands those module objects to Node's real
 * module loader before running the executor's main file (process.argv[1]).
 */
(function buildExecutorSnapshot(): void {
  const fs = require("node:fs") as typeof import("node:fs");
  const path = require("node:path") as typeof import("node:path");
  const vm = require("node:vm") as typeof import("node:vm");
  const v8 = require("node:v8") as typeof import("node:v8");
  const builtinRequire = require;

  const compileDir = path.join(__dirname, "..", "child", "compile");
  const loaded = new Map<string, { exports: unknown }>();

  function resolveFrom(dir: string, spec: string): string {
    if (spec.startsWith(".") || path.isAbsolute(spec)) {
      const base = path.resolve(dir, spec);
      for (const candidate of [base, `${base}.js`, path.join(base, "index.js")]) {
        if (fs.existsSync(candidate) && fs.statSync(candidate).isFile()) return candidate;
      }
      throw new Error(`snapshot: cannot resolve ${spec} from ${dir}`);
    }
    // A bare package name: walk up the node_modules folders, as Node does, and take its "main".
    for (let d = dir; ; d = path.dirname(d)) {
      const pkgDir = path.join(d, "node_modules", spec);
      const pkgJson = path.join(pkgDir, "package.json");
      if (fs.existsSync(pkgJson)) {
        const main = (JSON.parse(fs.readFileSync(pkgJson, "utf8")) as { main?: string }).main ?? "index.js";
        return resolveFrom(pkgDir, `./${main}`);
      }
      if (path.dirname(d) === d) throw new Error(`snapshot: cannot find package ${spec} from ${dir}`);
    }
  }

  function load(file: string): unknown {
    const cached = loaded.get(file);
    if (cached) return cached.exports;
    const module = { exports: {} as unknown };
    loaded.set(file, module);
    const source = fs.readFileSync(file, "utf8");
    const wrapper = vm.runInThisContext(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, {
      filename: file,
    }) as (...args: unknown[]) => void;
    const dir = path.dirname(file);
    const localRequire = (spec: string): unknown => {
      if (spec.startsWith("node:")) return builtinRequire(spec);
      if (!/^[./]/.test(spec)) {
        try {
          return builtinRequire(spec);
        } catch {
          // Not a built-in module: a package, loaded below.
        }
      }
      return load(resolveFrom(dir, spec));
    };
    wrapper.call(module.exports, module.exports, localRequire, module, file, dir);
    return module.exports;
  }

  const { CellCompiler } = load(path.join(compileDir, "compiler.js")) as typeof import("../child/compile/compiler");
  new CellCompiler(path.join(path.sep, "spindle-snapshot")).warmUp();

  v8.startupSnapshot.setDeserializeMainFunction(() => {
    const Module = builtinRequire("node:module") as unknown as {
      new (id: string): NodeJS.Module;
      _cache: Record<string, NodeJS.Module>;
      _nodeModulePaths(dir: string): string[];
      createRequire(file: string): NodeJS.Require;
    };
    for (const [file, mod] of loaded) {
      const m = new Module(file);
      m.filename = file;
      m.loaded = true;
      m.exports = mod.exports;
      m.paths = Module._nodeModulePaths(path.dirname(file));
      Module._cache[file] = m;
    }
    const main = path.resolve(process.argv[1] ?? "");
    Module.createRequire(main)(main);
  });
})();
