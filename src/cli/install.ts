/**
 * `spindle install [--user | --prefix P | --sys-prefix] [--name spindle]`:
 * writes the kernelspec directory (kernel.json and logos) that Jupyter finds.
 * No Python and no `jupyter` command are needed.
 */
import { copyFile, mkdir, readFile, writeFile } from "node:fs/promises";
import { homedir } from "node:os";
import { join, resolve } from "node:path";
import { type ParsedArgs, parseArgs, UsageError } from "./args";

/** The checkout (or installed package) root: dist/src/cli → three levels up. */
export const PACKAGE_ROOT = resolve(__dirname, "..", "..", "..");

/** Where to install. */
export interface InstallOptions {
  /** "user" (default), "sys-prefix", or an explicit prefix directory. */
  target: { kind: "user" } | { kind: "sys-prefix" } | { kind: "prefix"; prefix: string };
  /** Kernelspec directory name (default "spindle"). */
  name?: string;
}

/** The kernels directory for `target` (Jupyter's data-dir conventions). */
export function kernelsDir(target: InstallOptions["target"], env: NodeJS.ProcessEnv = process.env): string {
  switch (target.kind) {
    case "prefix":
      return join(resolve(target.prefix), "share", "jupyter", "kernels");
    case "sys-prefix":
      // The prefix of the active virtualenv/conda env when there is one, else /usr/local (on Jupyter's system path).
      return join(
        env.SPINDLE_SYS_PREFIX || env.VIRTUAL_ENV || env.CONDA_PREFIX || "/usr/local",
        "share",
        "jupyter",
        "kernels",
      );
    case "user": {
      const dataDir =
        env.JUPYTER_DATA_DIR ||
        (process.platform === "darwin"
          ? join(homedir(), "Library", "Jupyter")
          : join(env.XDG_DATA_HOME || join(homedir(), ".local", "share"), "jupyter"));
      return join(dataDir, "kernels");
    }
  }
}

/** Writes the kernelspec; returns the directory written. */
export async function installKernelspec(options: InstallOptions): Promise<string> {
  const name = options.name ?? "spindle";
  if (!/^[a-z0-9._-]+$/i.test(name))
    throw new UsageError(`Kernel name ${JSON.stringify(name)} may only use letters, digits, ".", "_" and "-".`);
  const dir = join(kernelsDir(options.target), name);
  const template = JSON.parse(await readFile(join(PACKAGE_ROOT, "kernel", "kernel.json"), "utf8")) as Record<
    string,
    unknown
  >;
  const spec = {
    ...template,
    argv: [process.execPath, join(PACKAGE_ROOT, "bin", "spindle.js"), "kernel", "{connection_file}"],
  };
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, "kernel.json"), JSON.stringify(spec, null, 2) + "\n");
  for (const logo of ["logo-32x32.png", "logo-64x64.png"])
    await copyFile(join(PACKAGE_ROOT, "kernel", logo), join(dir, logo));
  return dir;
}

/** The target `install` and `uninstall` name with --user (default), --sys-prefix or --prefix P: one at the most. */
export function targetOf(parsed: ParsedArgs): InstallOptions["target"] {
  const chosen = [parsed.flags.has("user"), parsed.flags.has("sys-prefix"), parsed.options.has("prefix")];
  if (chosen.filter(Boolean).length > 1) throw new UsageError("Choose one of --user, --sys-prefix or --prefix P.");
  const prefix = parsed.options.get("prefix");
  if (prefix !== undefined) return { kind: "prefix", prefix };
  return parsed.flags.has("sys-prefix") ? { kind: "sys-prefix" } : { kind: "user" };
}

/** The `install` command. */
export async function installCommand(args: string[]): Promise<number> {
  try {
    const parsed = parseArgs(args, { flags: ["user", "sys-prefix"], valued: ["prefix", "name"] });
    const target = targetOf(parsed);
    if (parsed.positionals.length > 0)
      throw new UsageError(`Unexpected argument ${JSON.stringify(parsed.positionals[0])}.`);
    const dir = await installKernelspec({ target, name: parsed.options.get("name") });
    process.stdout.write(`Installed kernelspec ${parsed.options.get("name") ?? "spindle"} in ${dir}\n`);
    if (target.kind === "prefix")
      process.stdout.write(`Jupyter finds it with JUPYTER_PATH=${join(resolve(target.prefix), "share", "jupyter")}\n`);
    return 0;
  } catch (err) {
    if (err instanceof UsageError) {
      process.stderr.write(
        `spindle install: ${err.message}\nUsage: spindle install [--user | --prefix P | --sys-prefix] [--name spindle]\n`,
      );
      return 2;
    }
    throw err;
  }
}
