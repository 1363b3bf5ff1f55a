/** A small argv parser: positionals, `--flag`, `--option value` and `--option=value`. */
import { SpindleError } from "../errors";

/** A command-line mistake; the message says what to type instead. */
export class UsageError extends SpindleError {
  /** Creates a usage error. */
  constructor(message: string) {
    super(message, "ERR_SPINDLE_USAGE");
  }
}

/** Parsed arguments. */
export interface ParsedArgs {
  positionals: string[];
  flags: Set<string>;
  options: Map<string, string>;
}

/** Parses `args`; `valued` names options that take a value, `flags` those that do not. Unknown ones are errors. */
export function parseArgs(args: string[], spec: { flags?: string[]; valued?: string[] }): ParsedArgs {
  const flags = new Set<string>();
  const options = new Map<string, string>();
  const positionals: string[] = [];
  const known = new Set([...(spec.flags ?? []), ...(spec.valued ?? [])]);
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (!arg.startsWith("--") || arg === "--") {
      if (arg !== "--") positionals.push(arg);
      else positionals.push(...args.slice(i + 1));
      if (arg === "--") break;
      continue;
    }
    const eq = arg.indexOf("=");
    const name = eq > 0 ? arg.slice(2, eq) : arg.slice(2);
    if (!known.has(name)) throw new UsageError(`Unknown option --${name}; known options: ${[...known].map((k) => `--${k}`).join(", ") || "none"}.`);
    if (spec.valued?.includes(name)) {
      const value = eq > 0 ? arg.slice(eq + 1) : args[++i];
      if (value === undefined) throw new UsageError(`--${name} needs a value.`);
      options.set(name, value);
    } else {
      if (eq > 0) throw new UsageError(`--${name} takes no value.`);
      flags.add(name);
    }
  }
  return { positionals, flags, options };
}
