/** A small argument parser for the grader's subcommands: `--flag value`, `--flag=value`, switches, positionals. */
import { GraderError } from "../grader/errors";

/** Parsed arguments. */
export interface Args {
  positional: string[];
  values: Map<string, string>;
  switches: Set<string>;
}

/** Parses `argv` given which flags take a value and which are switches; unknown flags are errors naming `command`. */
export function parseArgs(argv: string[], command: string, valued: string[], switches: string[] = []): Args {
  const args: Args = { positional: [], values: new Map(), switches: new Set() };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "--") {
      args.positional.push(...argv.slice(i + 1));
      break;
    }
    if (!arg.startsWith("--")) {
      args.positional.push(arg);
      continue;
    }
    const eq = arg.indexOf("=");
    const name = eq > 0 ? arg.slice(2, eq) : arg.slice(2);
    if (switches.includes(name) && eq < 0) {
      args.switches.add(name);
    } else if (valued.includes(name)) {
      const value = eq > 0 ? arg.slice(eq + 1) : argv[++i];
      if (value === undefined) throw usage(command, `--${name} needs a value`);
      args.values.set(name, value);
    } else {
      throw usage(command, `unknown option ${arg}`);
    }
  }
  return args;
}

/** A number of seconds from a flag, or `fallback`. */
export function secondsArg(args: Args, name: string, fallback: number, command: string): number {
  const raw = args.values.get(name);
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n <= 0) throw usage(command, `--${name} takes a number of seconds > 0 (got "${raw}")`);
  return n;
}

/** A usage error for `command` saying what was wrong. */
export function usage(command: string, what: string): GraderError {
  return new GraderError(`spindle ${command}: ${what}. Run \`spindle ${command} --help\` for usage.`, "ERR_GRADER_USAGE");
}
