/**
 * IPython-style magics in TypeScript cells: `%%time`, `%%timeit`, `%%timeline`
 * (first line of a cell) and `%time` / `%timeit` (any line).
 *
 * Contract with the executor — call `parseMagics(source)` before compiling:
 * - It is pure: no I/O, no evaluation. It throws `MagicError`
 *   (code `ERR_SPINDLE_MAGIC`) for an unknown or malformed magic; report that
 *   as the cell's error without running anything.
 * - `plan.code` is what to compile instead of the source. It has exactly the
 *   same number of lines, and every line without a magic is unchanged, so
 *   diagnostics and tracebacks keep the cell's line numbers:
 *   - a cell magic line becomes an empty line;
 *   - a line magic becomes a call to `lineMagic` from `spindle/timing`
 *     through `await import("spindle/timing")`, resolved like any import
 *     (`%time const x = f()` keeps `x` a top-level name of the cell).
 * - When `plan.cellMagic` is set, compile `plan.code` once and, instead of
 *   running it, call `runCellMagic(plan.cellMagic, run)` (from
 *   `spindle/timing`, inside the cell's context), where `run()` evaluates the
 *   compiled cell once and resolves with its last value. It may call `run`
 *   many times (`%%timeit`). Its result is the cell's value (the timeit
 *   result with `-o`, the cell's own value otherwise).
 * - With no magic, `plan.code === source` and `plan.cellMagic` is undefined.
 */
import { SpindleError } from "../errors";

/** A cell magic and its options. */
export type CellMagic =
  | { name: "time" }
  | { name: "timeit"; number?: number; repeat?: number; quiet: boolean; returnResult: boolean }
  | { name: "timeline"; title?: string }
  | { name: "explore"; schedules?: number; seed?: number };

/** A line magic found (and rewritten) in the cell. */
export interface LineMagic {
  /** 0-based line index in the cell. */
  line: number;
  name: "time" | "timeit";
  /** The statement or expression the magic applies to, as written. */
  statement: string;
}

/** What to compile and how to run it. */
export interface MagicPlan {
  code: string;
  cellMagic?: CellMagic;
  lineMagics: LineMagic[];
}

/** A malformed or unknown magic; the cell must not run. */
export class MagicError extends SpindleError<"ERR_SPINDLE_MAGIC"> {
  /** Creates the error; `message` says what was wrong and what is supported. */
  constructor(message: string) {
    super(message, "ERR_SPINDLE_MAGIC");
  }
}

const CELL_MAGICS = ["time", "timeit", "timeline", "explore"] as const;
const LINE_MAGICS = ["time", "timeit"] as const;
const KNOWN =
  "Timing magics: %%time, %%timeit [-n N] [-r R] [-q] [-o], %%timeline [title], %%explore [N] [--seed S] (first line of a cell), and %time / %timeit on any line; %lsmagic lists every magic.";

/** Finds the magics in a cell and returns what to compile and how to run it (see the file comment). */
export function parseMagics(source: string): MagicPlan {
  const lines = source.split("\n");
  const lineMagics: LineMagic[] = [];
  let cellMagic: CellMagic | undefined;
  let sawCode = false;
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i] ?? "";
    const trimmed = raw.trim();
    const cell = /^%%(\S*)(.*)$/.exec(trimmed);
    if (cell) {
      if (sawCode || cellMagic)
        throw new MagicError(`%%${cell[1]} must be the first line of the cell (line ${i + 1}). ${KNOWN}`);
      cellMagic = parseCellMagic(cell[1] ?? "", (cell[2] ?? "").trim());
      lines[i] = "";
      continue;
    }
    const line = /^%(\w+)(?:\s+(.*))?$/.exec(trimmed);
    if (line && (LINE_MAGICS as readonly string[]).includes(line[1] ?? "")) {
      const name = line[1] as LineMagic["name"];
      const { options, rest } = parseOptions(line[2] ?? "", name);
      if (rest === "")
        throw new MagicError(`%${name} needs a statement on the same line, e.g. "%${name} work(10)". ${KNOWN}`);
      const indent = /^\s*/.exec(raw)?.[0] ?? "";
      lines[i] = indent + rewriteLine(name, rest, options);
      lineMagics.push({ line: i, name, statement: rest });
      sawCode = true;
      continue;
    }
    if (line && /^%\w/.test(trimmed) && !/^%\w+\s*[=(]/.test(trimmed)) {
      throw new MagicError(`Unknown magic %${line[1]} on line ${i + 1}. ${KNOWN}`);
    }
    if (trimmed !== "") sawCode = true;
  }
  if (!cellMagic && lineMagics.length === 0) return { code: source, lineMagics };
  return { code: lines.join("\n"), cellMagic, lineMagics };
}

function parseCellMagic(name: string, args: string): CellMagic {
  if (!(CELL_MAGICS as readonly string[]).includes(name))
    throw new MagicError(`Unknown cell magic %%${name}. ${KNOWN}`);
  if (name === "time") {
    if (args !== "") throw new MagicError(`%%time takes no arguments (got "${args}"). ${KNOWN}`);
    return { name: "time" };
  }
  if (name === "timeline") return args === "" ? { name: "timeline" } : { name: "timeline", title: unquote(args) };
  if (name === "explore") return parseExplore(args);
  const { options, rest } = parseOptions(args, "timeit");
  if (rest !== "") throw new MagicError(`%%timeit times the cell body; put "${rest}" on the next line. ${KNOWN}`);
  return { name: "timeit", ...options };
}

function parseExplore(args: string): CellMagic {
  const m = /^(?:(\d+))?\s*(?:--seed(?:=|\s+)(\d+))?$/.exec(args.trim());
  if (!m)
    throw new MagicError(
      `%%explore takes an optional number of schedules and --seed S, e.g. "%%explore 500 --seed 7" (got "${args}").`,
    );
  const magic: CellMagic = { name: "explore" };
  if (m[1] !== undefined) magic.schedules = Number(m[1]);
  if (m[2] !== undefined) magic.seed = Number(m[2]);
  if (magic.schedules === 0) throw new MagicError("%%explore needs at least 1 schedule.");
  return magic;
}

interface TimeitFlags {
  number?: number;
  repeat?: number;
  quiet: boolean;
  returnResult: boolean;
}

/** Reads leading `-n N -r R -q -o` flags (value attached or separate); the rest is the statement. */
function parseOptions(text: string, name: string): { options: TimeitFlags; rest: string } {
  const options: TimeitFlags = { quiet: false, returnResult: false };
  let rest = text.trim();
  for (;;) {
    const m = /^-(n|r)\s*(\S+)(?:\s+|$)/.exec(rest) ?? /^-(q|o)(?:\s+|$)/.exec(rest);
    if (!m) break;
    if (name !== "timeit") throw new MagicError(`%${name} takes no options (got "-${m[1]}"). ${KNOWN}`);
    if (m[1] === "q") options.quiet = true;
    else if (m[1] === "o") options.returnResult = true;
    else {
      const value = Number(m[2]);
      if (!Number.isInteger(value) || value < 1)
        throw new MagicError(`%timeit -${m[1]} needs a whole number ≥ 1 (got "${m[2]}").`);
      if (m[1] === "n") options.number = value;
      else options.repeat = value;
    }
    rest = rest.slice(m[0].length).trim();
  }
  return { options, rest };
}

const IMPORT = `(await import("spindle/timing"))`;
const STATEMENT_START =
  /^(for|while|if|do|switch|try|return|throw|break|continue|class|function|async\s+function|import|export|type|interface|enum|namespace|declare)\b|^\{/;
const DECLARATION = /^(const|let|var)\s+(\{[^}]*\}|\[[^\]]*\]|[A-Za-z_$][\w$]*)(\s*:\s*[^=]+?)?\s*=(?!=)\s*(.+?);?\s*$/;

/** Rewrites one magic line into a call of `lineMagic`; a declaration keeps its name at the cell's top level. */
function rewriteLine(name: LineMagic["name"], statement: string, options: TimeitFlags): string {
  const src = JSON.stringify(statement);
  const opts = name === "timeit" ? `, ${JSON.stringify(stripUndefined(options))}` : "";
  const decl = DECLARATION.exec(statement);
  if (decl) {
    const [, keyword, target, annotation = "", init = ""] = decl;
    return `${keyword} ${target}${annotation} = await ${IMPORT}.lineMagic("${name}", async () => (${init}), ${src}${opts});`;
  }
  if (STATEMENT_START.test(statement)) {
    return `await ${IMPORT}.lineMagic("${name}", async () => { ${statement} }, ${src}${opts});`;
  }
  const expr = statement.replace(/;\s*$/, "");
  return `await ${IMPORT}.lineMagic("${name}", async () => (${expr}), ${src}${opts});`;
}

function stripUndefined(o: TimeitFlags): Partial<TimeitFlags> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined && v !== false));
}

function unquote(s: string): string {
  const m = /^(["'])(.*)\1$/.exec(s);
  return m ? (m[2] ?? "") : s;
}
