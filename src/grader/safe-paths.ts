/**
 * Submission files as untrusted input: a symlink in the submissions folder
 * that leads outside it is not followed, and output files get names that are
 * safe on every file system and never collide.
 */
import { createHash } from "node:crypto";
import { lstatSync, realpathSync } from "node:fs";
import { dirname, relative, resolve, sep } from "node:path";

/** Why `path` must not be read (a symlink leading outside `folder`, or not a regular file), or undefined when it is fine. */
export function unsafeSubmission(path: string, folder: string): string | undefined {
  let real: string;
  try {
    real = realpathSync(path);
  } catch (err) {
    return `cannot read it (${(err as NodeJS.ErrnoException).code ?? String(err)})`;
  }
  let root: string;
  try {
    root = realpathSync(folder);
  } catch {
    root = resolve(folder);
  }
  const rel = relative(root, real);
  if (rel.startsWith("..") || rel.startsWith(sep) || rel === "") {
    return `it is a symlink to ${real}, outside the submissions folder ${folder}; symlinks are not followed out of it`;
  }
  if (!lstatSync(real).isFile()) return "it is not a regular file";
  return undefined;
}

/** The folder holding every submission (their deepest common ancestor). */
export function submissionsFolder(paths: readonly string[]): string {
  const split = paths.map((p) => dirname(resolve(p)).split(sep));
  const first = split[0] ?? [];
  let n = first.length;
  for (const parts of split) {
    let i = 0;
    while (i < n && i < parts.length && parts[i] === first[i]) i++;
    n = i;
  }
  return first.slice(0, n).join(sep) || sep;
}

/** A student name usable as a file name; a name that had to change gets a short hash, so two never collide. */
export function fileNameOf(student: string): string {
  const safe = student
    .replace(/[^A-Za-z0-9._-]+/g, "_")
    .replace(/^[.-]+/, "_")
    .slice(0, 80);
  if (safe === student) return safe;
  return `${safe}-${createHash("sha256").update(student).digest("hex").slice(0, 8)}`;
}
