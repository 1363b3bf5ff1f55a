/** Shared shell of the grader's subcommands: --help, and GraderErrors printed as one clear line. */
import { GraderError } from "../grader/errors";

/** Runs `body`, printing `help` for --help/-h and any GraderError as `spindle <command>: message`; returns the exit code. */
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
    if (!(err instanceof GraderError)) throw err;
    const text = err.message.startsWith(`spindle ${command}:`) ? err.message : `spindle ${command}: ${err.message}`;
    process.stderr.write(`${text}\n`);
    return err.code === "ERR_GRADER_USAGE" ? 2 : 1;
  }
}
