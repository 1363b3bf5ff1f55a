/**
 * `spindle/io`: Python's `input()` for notebooks. In a kernel it asks the
 * frontend (Jupyter's stdin channel); in a plain Node script it reads a line
 * from the terminal.
 */
import readline from "node:readline";
import { currentCell } from "../runtime/cell-context";
import { SpindleError } from "../errors";

/** Options of `input`. */
export interface InputOptions {
  /** Hide what the user types (Jupyter shows a password field). */
  password?: boolean;
}

/** Asks the user for one line of text and resolves with it (without the newline). */
export async function input(prompt = "", options: InputOptions = {}): Promise<string> {
  const cell = currentCell();
  if (cell) return cell.sink.input(prompt, options.password ?? false);
  return readLine(prompt);
}

/** Like `input`, but for secrets: the frontend hides what is typed. */
export function getpass(prompt = "Password: "): Promise<string> {
  return input(prompt, { password: true });
}

function readLine(prompt: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const rl = readline.createInterface({ input: process.stdin, output: process.stdout, terminal: false });
    let answered = false;
    rl.question(prompt, (answer) => {
      answered = true;
      rl.close();
      resolve(answer);
    });
    rl.on("close", () => {
      if (!answered) {
        reject(
          new SpindleError("input() reached the end of standard input before a line was typed.", "ERR_SPINDLE_EOF"),
        );
      }
    });
  });
}
