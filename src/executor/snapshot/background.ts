/**
 * A kernel that finds no valid start-up snapshot (first use of an installed
 * package, a Node upgrade, install scripts that never ran) starts its executor
 * without one and has one built in the background for the next start.
 */
import { spawn } from "node:child_process";
import path from "node:path";
import { packageVersion, snapshotState } from "./fingerprint";

const BUILD_SCRIPT = path.join(__dirname, "build.js");

/**
 * Starts a detached snapshot build when none is valid, logging one line;
 * returns whether it did. Never throws: a snapshot only saves start-up time.
 */
export function buildSnapshotInBackground(env: NodeJS.ProcessEnv, log: (message: string) => void): boolean {
  try {
    const s = snapshotState(env);
    if (s.state === "current") return false;
    const child = spawn(process.execPath, [BUILD_SCRIPT, "--target", s.files.blob, "--detach"], {
      detached: true,
      stdio: "ignore",
      env,
    });
    child.on("error", () => undefined);
    child.unref();
    log(
      `the executor start-up snapshot is ${s.state} for Node ${process.version} (${process.platform}-${process.arch}) and Spindle ${packageVersion()}: ` +
        `this kernel starts without it, and one is being built in ${s.files.blob} for the next start`,
    );
    return true;
  } catch (err) {
    log(`could not start building the executor start-up snapshot: ${String(err)}`);
    return false;
  }
}
