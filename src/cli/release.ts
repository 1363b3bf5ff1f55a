/** `spindle release SOURCE.ipynb --out DIR`: writes the student version of an assignment. */
import { mkdirSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { basename, dirname, join, relative, resolve } from "node:path";
import { isGrade, isSolution } from "../grader/format/cells";
import { parseArgs, UsageError } from "./args";
import { hasHiddenTests } from "../grader/format/markers";
import { serializeNotebook } from "../nbformat";
import { readNotebook } from "../grader/format/notebook-input";
import { buildAssignment } from "../grader/format/release";
import { runCommand } from "./command-shell";

/** Usage text of `spindle release`. */
export const RELEASE_USAGE = `Usage: spindle release SOURCE.ipynb... --out DIR
       spindle release source/ --out release/

Writes the student version of each source notebook to DIR (same file name).
Given a folder in nbgrader's course layout (source/<assignment>/<notebook>.ipynb),
releases every assignment to DIR/<assignment>/<notebook>.ipynb. In each:
solution regions replaced by a stub that throws "not implemented yet", hidden
tests removed, outputs cleared, nbgrader checksums recorded.
`;

/** Runs `spindle release`; returns the exit code. */
export function releaseCommand(argv: string[]): Promise<number> {
  return runCommand("release", RELEASE_USAGE, argv, async (out) => {
    const args = parseArgs(argv, { valued: ["out"] });
    const outDir = args.options.get("out");
    if (args.positionals.length === 0) throw new UsageError("give at least one SOURCE.ipynb");
    if (!outDir) throw new UsageError("--out DIR is required (the folder for the student versions)");
    mkdirSync(outDir, { recursive: true });
    for (const { source, target } of args.positionals.flatMap((p) => releaseTargets(p, outDir))) {
      const { released, gradable } = buildAssignment(readNotebook(source), source);
      mkdirSync(dirname(target), { recursive: true });
      if (resolve(target) === resolve(source))
        throw new UsageError(`--out would overwrite the source ${source}; choose another folder`);
      writeFileSync(target, serializeNotebook(released));
      const answers = released.cells.filter(isSolution).length;
      const tests = released.cells.filter(isGrade).length;
      const hidden = gradable.cells.filter((c) => hasHiddenTests(c.source)).length;
      out.write(
        `${source} → ${target}: ${answers} answer cell(s), ${tests} graded cell(s), hidden tests removed from ${hidden}\n`,
      );
    }
    return 0;
  });
}

/** A source notebook and where its student version goes; a folder is a course (source/<assignment>/<notebook>.ipynb). */
function releaseTargets(path: string, outDir: string): { source: string; target: string }[] {
  if (!isDirectory(path)) return [{ source: path, target: join(outDir, basename(path)) }];
  const found: { source: string; target: string }[] = [];
  const visit = (dir: string, depth: number): void => {
    for (const name of readdirSync(dir).sort()) {
      if (name.startsWith(".")) continue; // .ipynb_checkpoints and the like
      const full = join(dir, name);
      if (isDirectory(full)) {
        if (depth < 1) visit(full, depth + 1);
      } else if (name.endsWith(".ipynb")) {
        found.push({ source: full, target: join(outDir, relative(path, full)) });
      }
    }
  };
  visit(path, 0);
  if (found.length === 0)
    throw new UsageError(`${path} holds no notebooks (expected ${join(path, "<assignment>", "<notebook>.ipynb")})`);
  return found;
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}
