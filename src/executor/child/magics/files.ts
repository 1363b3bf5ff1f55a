/**
 * `%%writefile`, `%load`, `%cd`, `%pwd` and `%env`: the file system and
 * environment of the kernel, as IPython's magics of the same names.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { writeStream } from "../../../runtime/cell-context";
import { MagicError } from "../../../timing/magics";
import { splitArgs } from "./npm";

/** `%%writefile [-a] PATH` with the cell's body. */
export function writefile(argsText: string, body: string): void {
  const args = splitArgs(argsText);
  const append = args[0] === "-a" || args[0] === "--append";
  const rest = append ? args.slice(1) : args;
  const target = rest[0];
  if (target === undefined || rest.length > 1)
    throw new MagicError(
      `%%writefile needs one path, e.g. "%%writefile helpers.ts" or "%%writefile -a log.txt" (got "${argsText}").`,
    );
  const file = path.resolve(expandHome(target));
  const dir = path.dirname(file);
  if (!fs.existsSync(dir))
    throw new MagicError(
      `%%writefile: the folder ${dir} does not exist; create it first (e.g. "!mkdir -p ${path.relative(process.cwd(), dir) || dir}").`,
    );
  const existed = fs.existsSync(file);
  const text = body.endsWith("\n") || body === "" ? body : `${body}\n`;
  if (append) fs.appendFileSync(file, text);
  else fs.writeFileSync(file, text);
  writeStream("stdout", `${append ? "Appending to" : existed ? "Overwriting" : "Writing"} ${target}\n`);
}

/** `%load PATH`: the set_next_input payload that replaces the cell with the file's text. */
export function load(argsText: string): { source: "set_next_input"; text: string; replace: boolean } {
  const args = splitArgs(argsText);
  const target = args[0];
  if (target === undefined || args.length > 1)
    throw new MagicError(`%load needs one path, e.g. "%load helpers.ts" (got "${argsText}").`);
  const file = path.resolve(expandHome(target));
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new MagicError(
      `%load: cannot read ${file} (${code === "ENOENT" ? "no such file" : code === "EISDIR" ? "it is a folder" : String(code)}).`,
    );
  }
  const lines = text.split("\n").length - (text.endsWith("\n") ? 1 : 0);
  writeStream(
    "stdout",
    `Loaded ${lines} line${lines === 1 ? "" : "s"} of ${target} into the cell; run it again to execute them.\n`,
  );
  return { source: "set_next_input", text: `// %load ${argsText.trim()}\n${text}`, replace: true };
}

/** `%cd [DIR | - | ~]`: changes the working directory (`previousDir` is where `-` goes); prints the new one, returns both. */
export function cd(argsText: string, previousDir: string | undefined): { dir: string; previous: string } {
  const args = splitArgs(argsText);
  if (args.length > 1) throw new MagicError(`%cd takes one folder (got "${argsText}"); quote a name with spaces.`);
  const arg = args[0];
  let target: string;
  if (arg === undefined) target = os.homedir();
  else if (arg === "-") {
    if (previousDir === undefined) throw new MagicError("%cd -: there is no previous folder yet.");
    target = previousDir;
  } else target = path.resolve(expandHome(arg));
  const before = process.cwd();
  try {
    process.chdir(target);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new MagicError(
      `%cd: cannot enter ${target} (${code === "ENOENT" ? "no such folder" : code === "ENOTDIR" ? "not a folder" : String(code)}).`,
    );
  }
  writeStream("stdout", `${process.cwd()}\n`);
  return { dir: process.cwd(), previous: before };
}

/** `%env`, `%env NAME`, `%env NAME=VALUE`, `%env NAME VALUE`. */
export function env(argsText: string): unknown {
  const text = argsText.trim();
  if (text === "") return Object.fromEntries(Object.entries(process.env).sort(([a], [b]) => a.localeCompare(b)));
  const set = /^([A-Za-z_][\w]*)\s*(?:=\s*|\s+)([\s\S]*)$/.exec(text);
  if (set) {
    const [, name = "", raw = ""] = set;
    const value = unquote(raw.trim());
    process.env[name] = value;
    writeStream("stdout", `env: ${name}=${value}\n`);
    return undefined;
  }
  if (/^[A-Za-z_]\w*$/.test(text)) return process.env[text];
  throw new MagicError(`%env: cannot read "${text}"; use %env, %env NAME or %env NAME=value.`);
}

function unquote(s: string): string {
  const m = /^(["'])([\s\S]*)\1$/.exec(s);
  return m ? (m[2] ?? "") : s;
}

function expandHome(p: string): string {
  return p === "~" ? os.homedir() : p.startsWith("~/") ? path.join(os.homedir(), p.slice(2)) : p;
}
