/**
 * Where Jupyter looks for kernelspecs, in its own order (jupyter_core's
 * `jupyter_path("kernels")`): JUPYTER_PATH, the user data dir, the active
 * environment's prefix, then /usr/local/share/jupyter and /usr/share/jupyter.
 * The first directory holding `kernels/<name>/kernel.json` wins.
 */
import { readFile } from "node:fs/promises";
import { delimiter, join } from "node:path";
import { kernelsDir } from "./install";

/** A kernelspec found on disk. */
export interface FoundKernelspec {
  /** The kernelspec directory (…/kernels/<name>). */
  dir: string;
  /** Its kernel.json, parsed; undefined when unreadable (see `error`). */
  spec: { argv?: unknown; display_name?: unknown; env?: unknown } | undefined;
  /** Why kernel.json could not be read. */
  error?: string;
}

/** The `kernels` directories Jupyter searches, first match wins, without duplicates. */
export function kernelSearchDirs(env: NodeJS.ProcessEnv = process.env): string[] {
  const dirs = [
    ...(env.JUPYTER_PATH ?? "")
      .split(delimiter)
      .filter((p) => p !== "")
      .map((p) => join(p, "kernels")),
    kernelsDir({ kind: "user" }, env),
    ...[env.SPINDLE_SYS_PREFIX, env.VIRTUAL_ENV, env.CONDA_PREFIX]
      .filter((p): p is string => !!p)
      .map((p) => join(p, "share", "jupyter", "kernels")),
    "/usr/local/share/jupyter/kernels",
    "/usr/share/jupyter/kernels",
  ];
  return [...new Set(dirs)];
}

/** Every kernelspec named `name` on Jupyter's search path, in the order Jupyter would consider them. */
export async function findKernelspecs(name: string, env: NodeJS.ProcessEnv = process.env): Promise<FoundKernelspec[]> {
  return readKernelspecs(kernelSearchDirs(env).map((kernels) => join(kernels, name)));
}

/** The kernelspecs in `dirs` (each a …/kernels/<name> directory) that hold a kernel.json. */
export async function readKernelspecs(dirs: string[]): Promise<FoundKernelspec[]> {
  const found: FoundKernelspec[] = [];
  for (const dir of dirs) {
    let text: string;
    try {
      text = await readFile(join(dir, "kernel.json"), "utf8");
    } catch {
      continue; // not installed here
    }
    try {
      found.push({ dir, spec: JSON.parse(text) as FoundKernelspec["spec"] });
    } catch (err) {
      found.push({ dir, spec: undefined, error: `kernel.json is not valid JSON (${(err as Error).message})` });
    }
  }
  return found;
}

/** The kernelspec's argv as strings, or undefined when it is not a non-empty string array. */
export function specArgv(found: FoundKernelspec): string[] | undefined {
  const argv = found.spec?.argv;
  return Array.isArray(argv) && argv.length > 0 && argv.every((a) => typeof a === "string")
    ? (argv as string[])
    : undefined;
}
