/**
 * Builds the executor's start-up snapshot.
 *
 * - `node build.js` (run by `npm run build`): into the package's dist/,
 *   skipped when that one is up to date.
 * - `node build.js --target BLOB [--detach]`: into BLOB (a kernel found no
 *   valid snapshot, e.g. on first use of an installed package or after a Node
 *   upgrade). With `--detach` it starts itself again on its own and returns at
 *   once, so the kernel that asked neither waits for it nor stops it at
 *   shutdown. One build per BLOB at a time (a lock file next to it).
 *
 * A failed build only costs start-up speed (the executor then starts the
 * ordinary way), so it warns, never fails.
 */
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { EXECUTOR_V8_ARGS, SNAPSHOT_BLOB, SNAPSHOT_ENTRY, SNAPSHOT_META, snapshotFingerprint } from "./fingerprint";

/** Seconds a build may take before it is abandoned. */
const BUILD_TIMEOUT_MS = 120_000;
/** A lock older than this is left over from a build that died. */
const STALE_LOCK_MS = BUILD_TIMEOUT_MS + 30_000;

/** Builds a snapshot into `blob` (metadata in `blob.json`); returns an error text, or undefined on success. */
export function buildSnapshot(blob: string): string | undefined {
  const meta = `${blob}.json`;
  const fingerprint = snapshotFingerprint();
  fs.mkdirSync(path.dirname(blob), { recursive: true });
  const tmp = `${blob}.tmp-${process.pid}`;
  const started = Date.now();
  try {
    const args = [...EXECUTOR_V8_ARGS, "--snapshot-blob", tmp, "--build-snapshot", SNAPSHOT_ENTRY];
    const result = spawnSync(process.execPath, args, {
      encoding: "utf8",
      timeout: BUILD_TIMEOUT_MS,
    });
    if (result.status !== 0 || !fs.existsSync(tmp))
      return `${result.stderr ?? ""}${result.error ?? ""}`.trim() || `exit status ${result.status}`;
    fs.rmSync(meta, { force: true });
    fs.renameSync(tmp, blob);
    fs.writeFileSync(
      meta,
      JSON.stringify(
        {
          fingerprint,
          builtMs: Date.now() - started,
          node: process.version,
          platform: `${process.platform}-${process.arch}`,
        },
        null,
        2,
      ),
    );
    return undefined;
  } finally {
    fs.rmSync(tmp, { force: true });
  }
}

/** Takes the build lock of `blob`; false when another live build holds it. */
function lock(blob: string): boolean {
  const file = `${blob}.lock`;
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      fs.writeFileSync(file, String(process.pid), { flag: "wx" });
      return true;
    } catch {
      try {
        const age = Date.now() - fs.statSync(file).mtimeMs;
        const pid = Number(fs.readFileSync(file, "utf8"));
        if (age < STALE_LOCK_MS && pid > 0 && alive(pid)) return false;
        fs.rmSync(file, { force: true });
      } catch {
        // Removed meanwhile by its owner: try again.
      }
    }
  }
  return false;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

function main(args: string[]): void {
  const at = args.indexOf("--target");
  if (at < 0) {
    try {
      const meta = JSON.parse(fs.readFileSync(SNAPSHOT_META, "utf8")) as { fingerprint?: string };
      if (meta.fingerprint === snapshotFingerprint() && fs.existsSync(SNAPSHOT_BLOB)) return;
    } catch {
      // No snapshot yet: build it.
    }
    const error = buildSnapshot(SNAPSHOT_BLOB);
    if (error)
      process.stderr.write(
        `spindle: could not build the executor start-up snapshot (executors will start without it, about a second slower):\n${error}\n`,
      );
    return;
  }
  const blob = path.resolve(args[at + 1] ?? "");
  if (args.includes("--detach")) {
    const child = spawn(process.execPath, [__filename, "--target", blob], { detached: true, stdio: "ignore" });
    child.unref();
    return;
  }
  if (!lock(blob)) return;
  try {
    os.setPriority(10); // a cache filled in the background: the user's cells come first
    buildSnapshot(blob);
  } finally {
    fs.rmSync(`${blob}.lock`, { force: true });
  }
}

if (require.main === module) main(process.argv.slice(2));
