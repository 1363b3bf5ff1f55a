/** Runs the real `spindle` command in a child process with a chosen environment and a bounded wait. */
import { spawn } from "node:child_process";
import { join } from "node:path";

/** The checkout's command-line entry. */
export const BIN = join(__dirname, "..", "..", "..", "bin", "spindle.js");

/** What one command printed and returned. */
export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `spindle ...args` with `env`; rejects after `timeoutSeconds`. */
export function runCli(args: string[], env: NodeJS.ProcessEnv, timeoutSeconds = 180): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { env, stdio: ["ignore", "pipe", "pipe"] });
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
      resolve({ code, stdout, stderr });
    });
  });
}

/** An environment with Jupyter's per-user and Spindle's resource variables cleared, HOME at `home`. */
export function cleanEnv(home: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, HOME: home };
  for (const key of [
    "JUPYTER_PATH",
    "JUPYTER_DATA_DIR",
    "XDG_DATA_HOME",
    "VIRTUAL_ENV",
    "CONDA_PREFIX",
    "SPINDLE_SYS_PREFIX",
    "CPU_LIMIT",
    "MEM_LIMIT",
    "SPINDLE_WORKER_HEAP_MB",
    "NODE_TEST_CONTEXT",
  ])
    delete env[key];
  return { ...env, ...extra };
}
