/**
 * The command line parser of every `spindle` command, on Node's util.parseArgs:
 * positionals, `--flag`, `--option value` and `--option=value`, `--` ending
 * options. Mistakes become UsageErrors that say what to type instead.
 */
import { parseArgs as nodeParseArgs } from "node:util";
import { SpindleError } from "../errors";

/** A command-line mistake; the message says what to type instead. */
export class UsageError extends SpindleError<"ERR_SPINDLE_USAGE"> {
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
  const flags = spec.flags ?? [];
  const valued = spec.valued ?? [];
  const options = Object.fromEntries([
    ...flags.map((name) => [name, { type: "boolean" as const }]),
    ...valued.map((name) => [name, { type: "string" as const }]),
  ]);
  // Not strict: unknown options and missing values come back as tokens, so the messages can be ours.
  const { tokens } = nodeParseArgs({ args, options, strict: false, allowPositionals: true, tokens: true });
  const parsed: ParsedArgs = { positionals: [], flags: new Set(), options: new Map() };
  let lastShort = -1;
  for (const token of tokens) {
    if (token.kind === "positional") {
      parsed.positionals.push(token.value);
    } else if (token.kind === "option" && token.rawName.startsWith("--")) {
      const name = token.name;
      if (valued.includes(name)) {
        if (token.value === undefined) throw new UsageError(`--${name} needs a value.`);
        parsed.options.set(name, token.value);
      } else if (flags.includes(name)) {
        if (token.inlineValue) throw new UsageError(`--${name} takes no value.`);
        parsed.flags.add(name);
      } else {
        const known = [...flags, ...valued].map((k) => `--${k}`).join(", ") || "none";
        throw new UsageError(`Unknown option --${name}; known options: ${known}.`);
      }
    } else if (token.kind === "option" && token.index !== lastShort) {
      // Spindle has no short options: `-x` (or `-xyz`, split into several tokens) stays a positional.
      lastShort = token.index;
      parsed.positionals.push(args[token.index] as string);
    }
  }
  return parsed;
}

/** The number of seconds given to `--name`, or `fallback` when it is absent; anything but a number > 0 is a UsageError. */
export function secondsOption(parsed: ParsedArgs, name: string, fallback: number): number {
  const raw = parsed.options.get(name);
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n <= 0) throw new UsageError(`--${name} takes a number of seconds > 0 (got "${raw}")`);
  return n;
}
