/**
 * Runs a command for `!cmd`, `const x = !cmd` and `%npm`: streams its stdout
 * and stderr into the cell as they come, and stops its whole process group
 * when the cell is interrupted.
 */
import { spawn } from "node:child_process";
import { StringDecoder } from "node:string_decoder";
import { currentCell, writeStream } from "../../../runtime/cell-context";

/** How a command ended. */
export interface CommandExit {
  /** The exit status, or null when a signal ended it. */
  code: number | null;
  signal: NodeJS.Signals | null;
  /** Its stdout, when it was captured rather than streamed. */
  stdout: string;
}

/** Options of `runCommand`. */
export interface CommandOptions {
  cwd: string;
  env?: NodeJS.ProcessEnv;
  /** Keep stdout (it is then not shown); stderr is always shown. */
  capture?: boolean;
}

/** Milliseconds a command gets between SIGINT and SIGKILL after an interrupt. */
const KILL_GRACE_MS = 1500;

/**
 * Runs `file args` (no shell unless `file` is one) in its own process group;
 * resolves when it exits. An interrupt of the current cell sends SIGINT to the
 * group, then SIGKILL if anything in it is still alive after a grace period.
 */
export function runCommand(file: string, args: string[], options: CommandOptions): Promise<CommandExit> {
  const cell = currentCell();
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: ["ignore", "pipe", "pipe"],
      detached: true, // its own process group, so an interrupt reaches its children too
    });
    let stdout = "";
    const decoders = { stdout: new StringDecoder("utf8"), stderr: new StringDecoder("utf8") };
    const forward = (name: "stdout" | "stderr", text: string): void => {
      if (text === "") return;
      if (name === "stdout" && options.capture) stdout += text;
      else writeStream(name, text, cell);
    };
    child.stdout.on("data", (d: Buffer) => forward("stdout", decoders.stdout.write(d)));
    child.stderr.on("data", (d: Buffer) => forward("stderr", decoders.stderr.write(d)));
    const killGroup = (signal: NodeJS.Signals): void => {
      try {
        if (child.pid !== undefined) process.kill(-child.pid, signal);
      } catch {
        // The group is gone already.
      }
    };
    let killTimer: NodeJS.Timeout | undefined;
    const untrack = cell?.track({
      interrupt: () => {
        killGroup("SIGINT");
        killTimer = setTimeout(() => killGroup("SIGKILL"), KILL_GRACE_MS);
        killTimer.unref();
      },
    });
    child.on("error", (err) => {
      untrack?.();
      reject(err);
    });
    child.on("close", (code, signal) => {
      untrack?.();
      // A child of the command may outlive the shell while holding no pipe: it goes with the group.
      if (killTimer === undefined && signal !== null) killGroup("SIGKILL");
      forward("stdout", decoders.stdout.end());
      forward("stderr", decoders.stderr.end());
      resolve({ code, signal, stdout });
    });
  });
}

/** The output of a command as lines, as IPython's `x = !cmd` gives them (no trailing empty line). */
export function outputLines(stdout: string): string[] {
  if (stdout === "") return [];
  const lines = stdout.split("\n");
  if (lines.at(-1) === "") lines.pop();
  return lines.map((l) => (l.endsWith("\r") ? l.slice(0, -1) : l));
}

/** The one-line note a failed `!` command leaves (the cell itself does not fail). */
export function exitNote(command: string, exit: CommandExit): string | undefined {
  if (exit.code === 0) return undefined;
  const how = exit.signal !== null ? `was stopped by ${exit.signal}` : `exited with status ${exit.code}`;
  return `[!] \`${command.length > 60 ? `${command.slice(0, 57)}...` : command}\` ${how}\n`;
}
