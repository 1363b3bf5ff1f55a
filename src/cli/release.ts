/** `spindle release SOURCE.ipynb --out DIR`: writes the student version of an assignment. */
import { mkdirSync, writeFileSync } from "node:fs";
import { basename, join, resolve } from "node:path";
import { isGrade, isSolution } from "../grader/format/cells";
import { parseArgs, UsageError } from "./args";
import { hasHiddenTests } from "../grader/format/markers";
import { serializeNotebook } from "../nbformat";
import { readNotebook } from "../grader/format/notebook-input";
import { buildAssignment } from "../grader/format/release";
import { runCommand } from "./command-shell";

/** Usage text of `spindle release`. */
export const RELEASE_USAGE = `Usage: spindle release SOURCE.ipynb... --out DIR

Writes the student version of each source notebook to DIR (same file name):
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
    for (const source of args.positionals) {
      const { released, gradable } = buildAssignment(readNotebook(source), source);
      const target = join(outDir, basename(source));
      if (resolve(target) === resolve(source)) throw new UsageError(`--out would overwrite the source ${source}; choose another folder`);
      writeFileSync(target, serializeNotebook(released));
      const answers = released.cells.filter(isSolution).length;
      const tests = released.cells.filter(isGrade).length;
      const hidden = gradable.cells.filter((c) => hasHiddenTests(c.source)).length;
      out.write(`${source} → ${target}: ${answers} answer cell(s), ${tests} graded cell(s), hidden tests removed from ${hidden}\n`);
    }
    return 0;
  });
}
