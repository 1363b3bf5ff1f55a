/**
 * Builds the executor's start-up snapshot (run by `npm run build`). Skips the
 * work when the snapshot is up to date; a failed build only costs start-up
 * speed (the executor then starts the ordinary way), so it warns, never fails.
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import { SNAPSHOT_BLOB, SNAPSHOT_ENTRY, SNAPSHOT_META, snapshotFingerprint } from "./fingerprint";

function main(): void {
  const fingerprint = snapshotFingerprint();
  try {
    const meta = JSON.parse(fs.readFileSync(SNAPSHOT_META, "utf8")) as { fingerprint?: string };
    if (meta.fingerprint === fingerprint && fs.existsSync(SNAPSHOT_BLOB)) return;
  } catch {
    // No snapshot yet: build it.
  }
  fs.rmSync(SNAPSHOT_META, { force: true });
  const started = Date.now();
  const result = spawnSync(process.execPath, ["--snapshot-blob", SNAPSHOT_BLOB, "--build-snapshot", SNAPSHOT_ENTRY], {
    encoding: "utf8",
    timeout: 120_000,
  });
  if (result.status !== 0 || !fs.existsSync(SNAPSHOT_BLOB)) {
    fs.rmSync(SNAPSHOT_BLOB, { force: true });
    process.stderr.write(
      `spindle: could not build the executor start-up snapshot (executors will start without it, about a second slower):\n${result.stderr ?? result.error}\n`,
    );
    return;
  }
  fs.writeFileSync(SNAPSHOT_META, JSON.stringify({ fingerprint, builtMs: Date.now() - started }, null, 2));
}

main();
