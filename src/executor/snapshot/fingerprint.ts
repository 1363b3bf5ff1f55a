/**
 * Where the executor's start-up snapshot lives and whether it is still valid:
 * it must come from this exact Node binary (version, platform) and from the
 * current compiler, TypeScript and Spindle files (a stale snapshot would run
 * old code).
 *
 * Two places are looked at: the package's own `dist/executor.blob` (written
 * by `npm run build`, or by a kernel when the package folder is writable) and
 * a per-user cache (`$SPINDLE_CACHE_DIR`, else `$XDG_CACHE_HOME/spindle` or
 * `~/.cache/spindle`) for packages installed where the user cannot write.
 */
import { createHash } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

const DIST = path.resolve(__dirname, "..", "..", "..");
const ROOT = path.resolve(DIST, "..");

/** The package's snapshot blob and its metadata file. */
export const SNAPSHOT_BLOB = path.join(DIST, "executor.blob");
export const SNAPSHOT_META = `${SNAPSHOT_BLOB}.json`;
/**
 * V8 flags of every executor, and of the snapshot build (a snapshot loads only
 * under the flags it was built with). The young generation's semi-spaces grow
 * while the checker allocates and stay resident for the life of the kernel;
 * capped at 2 MB, an idle kernel's process tree holds ~11 MB less (273 against
 * 284 MB in `npm run bench kernel`) for ~1 ms more per new cell's check.
 */
export const EXECUTOR_V8_ARGS: readonly string[] = ["--max-semi-space-size=2"];

/** The compiled snapshot entry script. */
export const SNAPSHOT_ENTRY = path.join(__dirname, "entry.js");

/** A snapshot blob and the JSON file that says what it was built from. */
export interface SnapshotFiles {
  blob: string;
  meta: string;
}

/** What is known about the snapshot a new executor would use. */
export type SnapshotState =
  | { state: "current"; files: SnapshotFiles }
  /** `files`: where a new snapshot would be built (the package folder when writable, else the user cache). */
  | { state: "missing" | "stale"; files: SnapshotFiles };

/** The package's own snapshot files. */
export function packageSnapshotFiles(): SnapshotFiles {
  return { blob: SNAPSHOT_BLOB, meta: SNAPSHOT_META };
}

/** The per-user cache's snapshot files for this package folder and Node binary. */
export function cacheSnapshotFiles(env: NodeJS.ProcessEnv = process.env): SnapshotFiles {
  const base =
    env.SPINDLE_CACHE_DIR ||
    path.join(
      env.XDG_CACHE_HOME || path.join(os.homedir(), process.platform === "darwin" ? "Library/Caches" : ".cache"),
      "spindle",
    );
  const key = createHash("sha256").update(`${ROOT}\0${process.execPath}`).digest("hex").slice(0, 16);
  const blob = path.join(base, "snapshots", `${key}-executor.blob`);
  return { blob, meta: `${blob}.json` };
}

/** A string that changes whenever anything baked into the snapshot changes. */
export function snapshotFingerprint(): string {
  const compileDir = path.join(DIST, "src", "executor", "child", "compile");
  const files = [
    SNAPSHOT_ENTRY,
    ...fs
      .readdirSync(compileDir)
      .filter((f) => f.endsWith(".js"))
      .sort()
      .map((f) => path.join(compileDir, f)),
    resolvePackageJson("typescript"),
    resolvePackageJson("@types/node"),
    path.join(ROOT, "package.json"),
  ];
  const parts = files.map((f) => {
    const st = fs.statSync(f);
    return `${path.relative(ROOT, f)}:${st.size}:${Math.trunc(st.mtimeMs)}`;
  });
  return [
    process.version,
    process.execPath,
    process.platform,
    process.arch,
    `spindle@${packageVersion()}`,
    EXECUTOR_V8_ARGS.join(" "),
    ...parts,
  ].join("|");
}

/** Which snapshot a new executor would start from, or why none. */
export function snapshotState(env: NodeJS.ProcessEnv = process.env): SnapshotState {
  const fingerprint = snapshotFingerprint();
  const candidates = [packageSnapshotFiles(), cacheSnapshotFiles(env)];
  let seen = false;
  for (const files of candidates) {
    const meta = readMeta(files);
    if (meta === undefined) continue;
    seen = true;
    if (meta === fingerprint && fs.existsSync(files.blob)) return { state: "current", files };
  }
  const target = writable(path.dirname(SNAPSHOT_BLOB)) ? candidates[0]! : candidates[1]!;
  return { state: seen ? "stale" : "missing", files: target };
}

/** The `execArgv` that starts an executor from the snapshot, or `[]` when there is no valid one. */
export function snapshotExecArgv(env: NodeJS.ProcessEnv = process.env): string[] {
  try {
    const s = snapshotState(env);
    return s.state === "current" ? ["--snapshot-blob", s.files.blob] : [];
  } catch {
    return [];
  }
}

/** The version in Spindle's package.json. */
export function packageVersion(): string {
  try {
    return (
      (JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as { version?: string }).version ??
      "unknown"
    );
  } catch {
    return "unknown";
  }
}

function readMeta(files: SnapshotFiles): string | undefined {
  try {
    return (JSON.parse(fs.readFileSync(files.meta, "utf8")) as { fingerprint?: string }).fingerprint ?? "";
  } catch {
    return undefined;
  }
}

function resolvePackageJson(name: string): string {
  try {
    return require.resolve(`${name}/package.json`, { paths: [ROOT] });
  } catch {
    return path.join(ROOT, "node_modules", name, "package.json");
  }
}

function writable(dir: string): boolean {
  try {
    fs.accessSync(dir, fs.constants.W_OK);
    return true;
  } catch {
    return false;
  }
}
