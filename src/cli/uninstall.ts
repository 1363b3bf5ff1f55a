/**
 * `spindle uninstall [--user | --prefix P | --sys-prefix] [--name spindle] [--force]`:
 * removes the kernelspec directory `spindle install` wrote to the same target.
 * Idempotent: nothing installed there is not an error. A directory whose
 * kernel.json does not run Spindle is left alone unless `--force` is given.
 */
import { readFile, rm } from "node:fs/promises";
import { join } from "node:path";
import { SpindleError } from "../errors";
import { parseArgs, UsageError } from "./args";
import { kernelsDir, type InstallOptions, targetOf } from "./install";

/** What `uninstallKernelspec` did. */
export interface UninstallResult {
  /** The kernelspec directory looked at. */
  dir: string;
  /** True when it existed and was removed. */
  removed: boolean;
}

/** A kernelspec directory that is not Spindle's; `--force` removes it anyway. */
export class NotSpindleKernelError extends SpindleError<"ERR_SPINDLE_NOT_SPINDLE_KERNEL"> {
  /** Creates the error for kernelspec directory `dir`. */
  constructor(dir: string) {
    super(
      `${dir} holds a kernelspec that does not run Spindle; left in place. Add --force to remove it anyway.`,
      "ERR_SPINDLE_NOT_SPINDLE_KERNEL",
    );
  }
}

/** Removes the kernelspec `name` from `target`; resolves with what it did. */
export async function uninstallKernelspec(
  options: InstallOptions & { force?: boolean },
  env: NodeJS.ProcessEnv = process.env,
): Promise<UninstallResult> {
  const name = options.name ?? "spindle";
  if (!/^[a-z0-9._-]+$/i.test(name) || name === "." || name === "..")
    throw new UsageError(`Kernel name ${JSON.stringify(name)} may only use letters, digits, ".", "_" and "-".`);
  const dir = join(kernelsDir(options.target, env), name);
  let text: string;
  try {
    text = await readFile(join(dir, "kernel.json"), "utf8");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "ENOENT") throw err;
    // No kernel.json: an empty or half-written directory is still ours to tidy up.
    await rm(dir, { recursive: true, force: true });
    return { dir, removed: false };
  }
  if (!options.force && !runsSpindle(text)) {
    throw new NotSpindleKernelError(dir);
  }
  await rm(dir, { recursive: true, force: true });
  return { dir, removed: true };
}

function runsSpindle(kernelJson: string): boolean {
  try {
    const argv = (JSON.parse(kernelJson) as { argv?: unknown }).argv;
    return Array.isArray(argv) && argv.some((a) => typeof a === "string" && /(^|[/\\])spindle(\.js)?$/.test(a));
  } catch {
    return false;
  }
}

/** The `uninstall` command. */
export async function uninstallCommand(args: string[]): Promise<number> {
  try {
    const parsed = parseArgs(args, { flags: ["user", "sys-prefix", "force"], valued: ["prefix", "name"] });
    const target = targetOf(parsed);
    if (parsed.positionals.length > 0)
      throw new UsageError(`Unexpected argument ${JSON.stringify(parsed.positionals[0])}.`);
    const name = parsed.options.get("name") ?? "spindle";
    const result = await uninstallKernelspec({ target, name, force: parsed.flags.has("force") });
    process.stdout.write(
      result.removed
        ? `Removed kernelspec ${name} from ${result.dir}\n`
        : `No kernelspec ${name} in ${result.dir}; nothing to remove.\n`,
    );
    return 0;
  } catch (err) {
    if (err instanceof NotSpindleKernelError) {
      process.stderr.write(`spindle uninstall: ${err.message}\n`);
      return 1;
    }
    if (err instanceof UsageError) {
      process.stderr.write(
        `spindle uninstall: ${err.message}\nUsage: spindle uninstall [--user | --prefix P | --sys-prefix] [--name spindle] [--force]\n`,
      );
      return 2;
    }
    throw err;
  }
}
