/**
 * Named pipes (FIFOs) for the token locks. Node cannot call mkfifo(3), so they
 * are made by the `mkfifo` program, a batch at a time (one exec ≈ 3–8 ms makes
 * 32), in one private directory removed at shutdown.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { onShutdown } from "../../../runtime/lifecycle";
import { ProcessStateError } from "../errors";

const BATCH = 32;
let dir: string | undefined;
let seq = 0;
const ready: string[] = [];

/** The FIFO directory shared with children (created on first use by the owner). */
export function fifoDir(): string {
  if (dir) return dir;
  const inherited = process.env.SPINDLE_FIFO_DIR;
  if (inherited) {
    dir = inherited;
    return dir;
  }
  dir = mkdtempSync(join(tmpdir(), "spindle-fifo-"));
  process.env.SPINDLE_FIFO_DIR = dir;
  const mine = dir;
  onShutdown(() => rmSync(mine, { recursive: true, force: true }));
  return dir;
}

/** A path to a fresh FIFO nobody else uses. */
export function newFifo(): string {
  if (ready.length === 0) {
    const base = fifoDir();
    const names: string[] = [];
    for (let i = 0; i < BATCH; i++) names.push(join(base, `t${process.pid}-${++seq}`));
    try {
      execFileSync("mkfifo", ["-m", "600", ...names], { stdio: "ignore" });
    } catch (err) {
      throw new ProcessStateError(
        `Could not create named pipes for a cross-process lock in ${base} (is the mkfifo program installed?): ${(err as Error).message}`,
        "ERR_SPINDLE_FIFO",
      );
    }
    ready.push(...names);
  }
  return ready.shift() as string;
}
