/**
 * Where the executor's start-up snapshot lives and whether it is still valid:
 * it must come from this exact Node binary and from the current compiler and
 * TypeScript files (a stale snapshot would run old code).
 */
import fs from "node:fs";
import path from "node:path";

const DIST = path.resolve(__dirname, "..", "..", "..");
const ROOT = path.resolve(DIST, "..");

/** The snapshot blob and its metadata file. */
export const SNAPSHOT_BLOB = path.join(DIST, "executor.blob");
export const SNAPSHOT_META = `${SNAPSHOT_BLOB}.json`;
/** The compiled snapshot entry script. */
export const SNAPSHOT_ENTRY = path.join(__dirname, "entry.js");

/** A string that changes whenever anything baked into the snapshot changes. */
export function snapshotFingerprint(): string {
  const compileDir = path.join(DIST, "src", "executor", "child", "compile");
  const files = [
    SNAPSHOT_ENTRY,
    ...fs.readdirSync(compileDir).filter((f) => f.endsWith(".js")).map((f) => path.join(compileDir, f)),
    path.join(ROOT, "node_modules", "typescript", "package.json"),
    path.join(ROOT, "node_modules", "@types", "node", "package.json"),
    path.join(ROOT, "package.json"),
  ];
  const parts = files.map((f) => {
    const st = fs.statSync(f);
    return `${path.relative(ROOT, f)}:${st.size}:${Math.trunc(st.mtimeMs)}`;
  });
  return [process.version, process.execPath, process.arch, ...parts].join("|");
}

/** The `execArgv` that starts an executor from the snapshot, or `[]` when there is no valid one. */
export function snapshotExecArgv(): string[] {
  try {
    const meta = JSON.parse(fs.readFileSync(SNAPSHOT_META, "utf8")) as { fingerprint?: string };
    if (meta.fingerprint !== snapshotFingerprint() || !fs.existsSync(SNAPSHOT_BLOB)) return [];
    return ["--snapshot-blob", SNAPSHOT_BLOB];
  } catch {
    return [];
  }
}
