/** Shared shell of the grader's subcommands: --help, and input errors printed as one clear line. */
import { GraderError } from "../grader/errors";
import { NotebookFormatError } from "../nbformat";
import { UsageError } from "./args";

/**
 * Runs `body`, printing `help` for --help/-h and any GraderError or UsageError as
 * `spindle <command>: message`; returns the exit code (2 for usage errors, 1 for bad input).
 */
export async function runCommand(
  command: string,
  help: string,
  argv: string[],
  body: (out: NodeJS.WriteStream) => Promise<number>,
): Promise<number> {
  if (argv.includes("--help") || argv.includes("-h")) {
    process.stdout.write(help);
    return 0;
  }
  try {
    return await body(process.stdout);
  } catch (err) {
    if (!(err instanceof GraderError || err instanceof UsageError || err instanceof NotebookFormatError)) throw err;
    const prefix = `spindle ${command}: `;
    let text = err.message.startsWith(prefix)
      ? err.message
      : prefix + err.message.replace(/^[A-Z](?=[a-z])/, (c) => c.toLowerCase());
    if (err instanceof UsageError)
      text += `${/[.!?]$/.test(text) ? "" : "."} Run \`spindle ${command} --help\` for usage.`;
    process.stderr.write(`${text}\n`);
    return err.code === "ERR_GRADER_USAGE" || err.code === "ERR_SPINDLE_USAGE" ? 2 : 1;
  }
}
