/**
 * The magics a cell knows, their one-line summaries and help pages:
 * `%lsmagic`, `%magic`, `%name?` and Tab completion read them from here.
 */
import fs from "node:fs";
import path from "node:path";
import { codePointsToUnits, unitsToCodePoints } from "../editor";
import type { CompleteReply, InspectReply } from "../../ipc-messages";

interface MagicDoc {
  usage: string;
  summary: string;
  details: string;
}

const LINE: Record<string, MagicDoc> = {
  cd: {
    usage: "%cd [DIR | - | ~]",
    summary: "change the working directory of commands and files (imports still resolve from the notebook's folder)",
    details:
      "With no argument, goes to your home folder; `%cd -` goes back to the previous folder. Prints the new folder.",
  },
  env: {
    usage: "%env [NAME | NAME=VALUE | NAME VALUE]",
    summary: "list, read or set environment variables of the kernel (seen by `!` commands and child processes)",
    details:
      "`%env` lists every variable; `%env NAME` shows one; `%env NAME=value` sets it for this kernel and everything it starts later.",
  },
  load: {
    usage: "%load PATH",
    summary: "replace the cell with the text of a file, to edit and run it",
    details:
      "The frontend puts `// %load PATH` and the file's text into the cell (Jupyter's set_next_input payload); run the cell again to execute it.",
  },
  lsmagic: { usage: "%lsmagic", summary: "list every magic", details: "" },
  magic: { usage: "%magic", summary: "show the help of every magic", details: "" },
  npm: {
    usage: "%npm install PKG... | %npm uninstall PKG... | %npm COMMAND ARGS...",
    summary: "run npm in the notebook's folder (its package.json and node_modules are created when missing)",
    details:
      "`%npm install` (or `%npm i`) adds packages to the notebook folder's package.json and node_modules; the next cell can import them, with their types. " +
      "npm's own output is shown as it comes; when npm fails, the cell fails with npm's exit status. " +
      "Import a package in a later cell than the one that installs it (imports are checked before a cell runs). " +
      "A package already imported keeps its loaded version until the kernel restarts.",
  },
  pwd: { usage: "%pwd", summary: "the current working directory (a string)", details: "" },
  reset: {
    usage: "%reset [-f]",
    summary: "forget every name the cells defined, keeping the kernel running",
    details:
      "Without -f, asks for confirmation first (where the frontend allows input). Threads and processes already started keep running.",
  },
  who: {
    usage: "%who [TYPE]",
    summary: "the names earlier cells defined (only those whose TypeScript type is TYPE, when given)",
    details: "",
  },
  whos: {
    usage: "%whos",
    summary: "a table of the names earlier cells defined, with their kind, TypeScript type and value",
    details: "",
  },
};

const CELL: Record<string, MagicDoc> = {
  writefile: {
    usage: "%%writefile [-a] PATH",
    summary: "write the rest of the cell to a file (-a appends)",
    details:
      "The cell's body is written as it is, not run. The path is relative to the working directory (see %cd); its folder must exist.",
  },
  time: {
    usage: "%%time",
    summary: "run the cell once and print its wall and CPU time (see docs/timing.md)",
    details: "",
  },
  timeit: {
    usage: "%%timeit [-n N] [-r R] [-q] [-o]",
    summary: "time the cell repeatedly (see docs/timing.md)",
    details: "",
  },
  timeline: {
    usage: "%%timeline [TITLE]",
    summary: "draw a timeline of what the cell's threads, locks and tasks did",
    details: "",
  },
  explore: {
    usage: "%%explore [N] [--seed S]",
    summary:
      "run the cell under N controlled schedules of its threads and tasks; stop at the first failure (see docs/explore.md)",
    details: "The failing schedule's seed replays it exactly; races and deadlocks are drawn on a timeline.",
  },
};

const TIMING_LINE: Record<string, MagicDoc> = {
  time: { usage: "%time STATEMENT", summary: "run one statement and print its time", details: "" },
  timeit: { usage: "%timeit [-n N] [-r R] [-q] [-o] STATEMENT", summary: "time one statement repeatedly", details: "" },
};

const SHELL = [
  "!COMMAND            run COMMAND with /bin/sh in the working directory, output shown live",
  "const x = !COMMAND  the command's output lines as a string[]",
];

/** Names of the magics handled here (line) and of every cell magic (including the timing ones). */
export const MAGIC_NAMES = { line: Object.keys(LINE), cell: Object.keys(CELL) };

/** The text of `%lsmagic`. */
export function lsmagicText(): string {
  const line = [...Object.keys(LINE), ...Object.keys(TIMING_LINE)].sort().map((n) => `%${n}`);
  const cell = Object.keys(CELL)
    .sort()
    .map((n) => `%%${n}`);
  return (
    `Available line magics:\n${line.join("  ")}\n\nAvailable cell magics:\n${cell.join("  ")}\n\nShell:\n${SHELL.join("\n")}\n\n` +
    "Help on one: %name? (e.g. %npm?). All of them: %magic.\n"
  );
}

/** The help page of `%name` or `%%name`, or undefined when there is no such magic. */
export function helpText(magic: string): string | undefined {
  const cell = magic.startsWith("%%");
  const name = magic.replace(/^%+/, "");
  const doc = cell ? CELL[name] : (LINE[name] ?? TIMING_LINE[name]);
  if (!doc) return undefined;
  return [doc.usage, "", `${doc.summary}.`, ...(doc.details ? ["", doc.details] : [])].join("\n") + "\n";
}

/** The text of `%magic`: every magic's help. */
export function allHelpText(): string {
  const pages = [
    ...Object.keys(LINE)
      .sort()
      .map((n) => helpText(`%${n}`)),
    ...Object.keys(TIMING_LINE)
      .sort()
      .map((n) => helpText(`%${n}`)),
    ...Object.keys(CELL)
      .sort()
      .map((n) => helpText(`%%${n}`)),
  ];
  return `${pages.join("\n")}\nShell commands:\n${SHELL.join("\n")}\n`;
}

/**
 * complete_reply content when the cursor ends a `%name` or `%%name` at the
 * start of a line, else undefined (the TypeScript completion answers).
 */
export function completeMagic(code: string, cursorPos: number): CompleteReply | undefined {
  const cursor = codePointsToUnits(code, cursorPos);
  const lineStart = code.lastIndexOf("\n", cursor - 1) + 1;
  const before = code.slice(lineStart, cursor);
  const paths = completePath(code, before, lineStart, cursor);
  if (paths) return paths;
  const m =
    /^(\s*)(%%?)(\w*)$/.exec(before) ?? /^(\s*(?:const|let|var)\s+[\w$]+\s*(?::[^=]+)?=\s*)(%)(\w*)$/.exec(before);
  if (!m) return undefined;
  const [, lead = "", percent = "", prefix = ""] = m;
  const cell = percent === "%%";
  if (cell && (lead !== "" || lineStart !== 0)) return undefined; // a cell magic only on the first line
  const names = cell ? Object.keys(CELL) : [...Object.keys(LINE), ...Object.keys(TIMING_LINE)];
  const matches = names
    .filter((n) => n.startsWith(prefix))
    .sort()
    .map((n) => `${percent}${n}`);
  const start = unitsToCodePoints(code, lineStart + lead.length);
  const end = unitsToCodePoints(code, cursor);
  return {
    status: "ok",
    matches,
    cursor_start: start,
    cursor_end: end,
    metadata: { _jupyter_types_experimental: matches.map((text) => ({ text, type: "magic", start, end })) },
  };
}

/** inspect_reply content when the cursor is on a `%name` / `%%name`, else undefined. */
export function inspectMagic(code: string, cursorPos: number): InspectReply | undefined {
  const cursor = codePointsToUnits(code, cursorPos);
  const lineStart = code.lastIndexOf("\n", cursor - 1) + 1;
  const lineEnd = code.indexOf("\n", cursor);
  const line = code.slice(lineStart, lineEnd < 0 ? code.length : lineEnd);
  for (const m of line.matchAll(/%%?[A-Za-z]\w*/g)) {
    const from = lineStart + (m.index ?? 0);
    if (cursor < from || cursor > from + m[0].length) continue;
    const text = helpText(m[0]);
    if (text === undefined) return undefined;
    return { status: "ok", found: true, data: { "text/plain": text }, metadata: {} };
  }
  return undefined;
}

/** Completes the path argument of `%cd` (folders), `%load` and `%%writefile` from the working directory. */
function completePath(code: string, before: string, lineStart: number, cursor: number): CompleteReply | undefined {
  const m =
    /^\s*%(cd|load)\s+(\S*)$/.exec(before) ??
    (lineStart === 0 ? /^\s*%%(writefile)\s+(?:-a\s+)?(\S*)$/.exec(before) : null);
  if (!m) return undefined;
  const [, magic, typed = ""] = m;
  const slash = typed.lastIndexOf("/");
  const dirPart = typed.slice(0, slash + 1);
  const namePart = typed.slice(slash + 1);
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(path.resolve(dirPart === "" ? "." : dirPart), { withFileTypes: true });
  } catch {
    entries = [];
  }
  const matches = entries
    .filter((e) => e.name.startsWith(namePart) && (namePart.startsWith(".") || !e.name.startsWith(".")))
    .filter((e) => magic !== "cd" || e.isDirectory())
    .map((e) => `${dirPart}${e.name}${e.isDirectory() ? "/" : ""}`)
    .sort();
  const start = unitsToCodePoints(code, cursor - typed.length);
  const end = unitsToCodePoints(code, cursor);
  return { status: "ok", matches, cursor_start: start, cursor_end: end, metadata: {} };
}
