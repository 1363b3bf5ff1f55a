/**
 * Snapshots of the files cells import from disk (library declarations,
 * packages, the notebook's own modules), for the language service host.
 */
import fs from "node:fs";
import path from "node:path";
import ts from "typescript";

interface DiskFile {
  version: string;
  snapshot: ts.IScriptSnapshot;
}

/**
 * The language service asks for every file's snapshot on every new program,
 * i.e. on every changed cell; reading lib.*.d.ts and @types/node again each
 * time cost ~10 ms a cell. Installed files (TypeScript's libs, anything in
 * node_modules) are read once; the notebook's own modules are re-read when
 * their modification time changes, so an edited helper file is seen.
 */
export class DiskFiles {
  readonly #cache = new Map<string, DiskFile>();
  readonly #libDir = path.dirname(ts.getDefaultLibFilePath({}));
  /** Spindle's own compiled files (its `spindle/...` modules): they change only when Spindle is rebuilt. */
  readonly #spindleDist = `${path.resolve(__dirname, "..", "..", "..", "..")}${path.sep}`;
  /** Bumped when packages change: npm keeps a package's file times, so a new version may have the old mtime. */
  #generation = 0;

  /** The file's version for the language service: "" when it does not exist. */
  version(file: string): string {
    return this.#load(file)?.version ?? "";
  }

  /** The file's text as a snapshot, or undefined when it does not exist. */
  snapshot(file: string): ts.IScriptSnapshot | undefined {
    return this.#load(file)?.snapshot;
  }

  /** Forgets the installed files under `dir`'s node_modules (packages changed there). */
  forgetInstalled(dir: string): void {
    const prefix = path.join(dir, "node_modules") + path.sep;
    for (const file of this.#cache.keys()) if (file.startsWith(prefix)) this.#cache.delete(file);
    this.#generation++;
  }

  #load(file: string): DiskFile | undefined {
    const cached = this.#cache.get(file);
    if (cached && this.#installed(file)) return cached;
    let stat: fs.Stats;
    try {
      stat = fs.statSync(file);
    } catch {
      this.#cache.delete(file);
      return undefined;
    }
    const version = `disk:${stat.mtimeMs}:${stat.size}${this.#installed(file) ? `:${this.#generation}` : ""}`;
    if (cached && cached.version === version) return cached;
    const text = ts.sys.readFile(file);
    if (text === undefined) return undefined;
    const entry = { version, snapshot: ts.ScriptSnapshot.fromString(text) };
    this.#cache.set(file, entry);
    return entry;
  }

  /** True for files that change only when packages are installed (libs, node_modules) or Spindle is rebuilt. */
  isFixed(file: string): boolean {
    return this.#installed(file) || file.startsWith(this.#spindleDist);
  }

  #installed(file: string): boolean {
    return file.startsWith(this.#libDir) || file.includes(`${path.sep}node_modules${path.sep}`);
  }
}
