/**
 * `%npm install PKG…` and friends: npm run in the notebook's folder, which
 * gets a package.json when it has none (otherwise npm would walk up and install
 * into whatever project holds the notebook folder).
 */
import fs from "node:fs";
import path from "node:path";
import { SpindleError } from "../../../errors";
import { writeStream } from "../../../runtime/cell-context";
import { MagicError } from "../../../timing/magics";
import { runCommand } from "./shell";

/** npm failed; its own output is above the error in the cell. */
export class NpmError extends SpindleError {
  /** Creates the error for `npm args` ending with `status`. */
  constructor(args: string[], status: string) {
    super(`npm ${args.join(" ")} ${status} (npm's own messages are above).`, "ERR_SPINDLE_NPM");
  }
}

/** npm commands after which packages in node_modules may have changed. */
const CHANGES_PACKAGES = new Set([
  "install",
  "i",
  "add",
  "isntall",
  "uninstall",
  "un",
  "remove",
  "rm",
  "r",
  "unlink",
  "update",
  "up",
  "upgrade",
  "ci",
  "link",
  "ln",
  "prune",
  "dedupe",
]);
/** npm commands that need packages named. */
const NEEDS_NAMES = new Set(["uninstall", "un", "remove", "rm", "r"]);

/**
 * Runs `%npm ARGS` in `folder`; `packagesChanged` is called after a command
 * that may change node_modules, with the packages an uninstall removed.
 */
export async function npmMagic(
  argsText: string,
  folder: string,
  packagesChanged: (removed: string[]) => void,
): Promise<void> {
  const args = splitArgs(argsText);
  const command = args[0];
  if (command === undefined)
    throw new MagicError('%npm needs an npm command, e.g. "%npm install left-pad" or "%npm uninstall left-pad".');
  if (NEEDS_NAMES.has(command) && args.length === 1)
    throw new MagicError(`%npm ${command} needs the names of the packages to remove.`);
  const changes = CHANGES_PACKAGES.has(command);
  if (changes) ensurePackageJson(folder);
  const started = Date.now();
  const what = args
    .slice(1)
    .filter((a) => !a.startsWith("-"))
    .join(", ");
  writeStream("stdout", `npm ${command}${what ? ` ${what}` : ""} in ${folder} …\n`);
  // --prefix keeps npm in this folder; the flags keep its report to what the cell asked for.
  const full = changes ? [...args, "--prefix", folder, "--no-fund", "--no-audit", "--no-update-notifier"] : args;
  let exit;
  try {
    exit = await runCommand(npmCommand(), full, { cwd: folder, env: npmEnv(process.env) });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "ENOENT") throw err;
    throw new MagicError(
      `%npm: npm was found neither next to ${process.execPath} nor on PATH; install npm (it comes with Node.js) and restart the kernel.`,
    );
  } finally {
    if (changes)
      packagesChanged(
        NEEDS_NAMES.has(command)
          ? args
              .slice(1)
              .filter((a) => !a.startsWith("-"))
              .map(packageOf)
          : [],
      );
  }
  if (exit.code !== 0)
    throw new NpmError(args, exit.signal ? `was stopped by ${exit.signal}` : `exited with status ${exit.code}`);
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  const next = command === "install" || command === "i" || command === "add" ? " — import it in the next cell" : "";
  writeStream("stdout", `npm ${command} finished in ${seconds} s${args.length > 1 && next ? next : ""}.\n`);
}

/** `left-pad@1.3.0` → `left-pad`, `@types/node@20` → `@types/node`. */
function packageOf(spec: string): string {
  const at = spec.indexOf("@", 1);
  return at > 0 ? spec.slice(0, at) : spec;
}

/** Writes a minimal package.json into `folder` unless it has one. */
function ensurePackageJson(folder: string): void {
  const file = path.join(folder, "package.json");
  if (fs.existsSync(file)) return;
  const pkg = {
    name: packageName(folder),
    version: "1.0.0",
    private: true,
    description: "Packages for the notebooks in this folder (%npm install).",
  };
  fs.writeFileSync(file, `${JSON.stringify(pkg, null, 2)}\n`, { flag: "wx" });
  writeStream("stdout", `Created ${file}\n`);
}

function packageName(folder: string): string {
  const base = path
    .basename(folder)
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, "-")
    .replace(/^[._-]+/, "");
  return base === "" ? "notebooks" : base.slice(0, 200);
}

/** npm next to the Node running the kernel (a kernel started by Jupyter may have a short PATH), else from PATH. */
function npmCommand(): string {
  const beside = path.join(path.dirname(process.execPath), "npm");
  return fs.existsSync(beside) ? beside : "npm";
}

/** The kernel's environment minus what an enclosing `npm run` set for its own project. */
function npmEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const out: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(env)) {
    const lower = k.toLowerCase();
    if (lower.startsWith("npm_") && !lower.startsWith("npm_config_")) continue;
    if (lower === "npm_config_local_prefix" || lower === "npm_config_global" || lower === "npm_config_prefix") continue;
    out[k] = v;
  }
  return out;
}

/** Splits magic arguments like a shell would for plain words and quoted strings (no expansion). */
export function splitArgs(text: string): string[] {
  const out: string[] = [];
  const re = /"((?:[^"\\]|\\.)*)"|'([^']*)'|(\S+)/g;
  for (const m of text.matchAll(re)) out.push(m[1] !== undefined ? m[1].replace(/\\(.)/g, "$1") : (m[2] ?? m[3] ?? ""));
  return out;
}
