/** Runs the real `spindle` command line in a child process, tagged so every process it starts can be found. */
import { spawn } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { randomUUID } from "node:crypto";

const BIN = join(__dirname, "..", "..", "..", "..", "bin", "spindle.js");

/** Output of one command. */
export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
  /** The environment tag inherited by every descendant process. */
  tag: string;
}

/** Runs `spindle ...args`, failing after `timeoutSeconds`. */
export function spindle(args: string[], timeoutSeconds = 600, env: NodeJS.ProcessEnv = {}): Promise<CliRun> {
  const tag = randomUUID();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      env: { ...process.env, ...env, SPINDLE_TEST_TAG: tag },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`spindle ${args.join(" ")} did not finish in ${timeoutSeconds} s\n${stdout}\n${stderr}`));
    }, timeoutSeconds * 1000);
    child.on("exit", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, tag });
    });
  });
}

/** pids of live processes whose environment carries `tag` (processes a run left behind). */
export function processesWithTag(tag: string): number[] {
  const found: number[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const env = readFileSync(`/proc/${entry}/environ`, "latin1");
      const stat = readFileSync(`/proc/${entry}/stat`, "latin1");
      if (env.includes(`SPINDLE_TEST_TAG=${tag}`) && !/\) Z /.test(stat)) found.push(Number(entry));
    } catch {
      // The process ended while we looked, or is not ours to read.
    }
  }
  return found;
}

/** Waits until no process carries `tag` (up to `seconds`), returning the pids still alive. */
export async function leftovers(tag: string, seconds = 10): Promise<number[]> {
  const end = Date.now() + seconds * 1000;
  let pids = processesWithTag(tag);
  while (pids.length > 0 && Date.now() < end) {
    await new Promise((r) => setTimeout(r, 200));
    pids = processesWithTag(tag);
  }
  return pids;
}
