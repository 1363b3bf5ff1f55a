/**
 * Naming students after their submission files: the file name when those are
 * distinct (alice.ipynb), else the first folder in which the paths differ
 * (submitted/alice/ps1/problem1.ipynb → alice, nbgrader's layout).
 */
import { basename, extname, relative, resolve, sep } from "node:path";
import { GraderError } from "./errors";
import { submissionsFolder } from "./safe-paths";

/** One name per path, in the same order; throws when two paths would get the same name. */
export function studentNames(paths: readonly string[]): string[] {
  // nbgrader's course layout names the student by folder, however many files are graded.
  const layout = paths.map(
    (p) => /(?:^|[\\/])submitted[\\/]([^\\/]+)[\\/][^\\/]+[\\/][^\\/]+\.ipynb$/.exec(resolve(p))?.[1],
  );
  if (layout.every((s) => s !== undefined) && unique(layout as string[])) return layout as string[];
  const stems = paths.map((p) => basename(p, extname(p)));
  if (unique(stems)) return stems;
  const abs = paths.map((p) => resolve(p));
  const common = submissionsFolder(abs);
  const rel = abs.map((p) => relative(common, p).split(sep));
  const firsts = rel.map(([first = "", ...rest]) => (rest.length > 0 ? first : basename(first, extname(first))));
  if (unique(firsts)) return firsts;
  const full = rel.map((parts) => parts.join("/").replace(/\.ipynb$/, ""));
  if (unique(full)) return full;
  const dup = abs.find((p, i) => abs.indexOf(p) !== i);
  throw new GraderError(`The submission ${dup ?? "?"} is listed twice; list each submission once.`, "ERR_GRADER_USAGE");
}

function unique(names: string[]): boolean {
  return new Set(names).size === names.length;
}
