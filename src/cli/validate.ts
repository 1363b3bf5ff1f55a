/** `spindle validate STUDENT.ipynb...`: runs a student notebook and reports which visible tests pass. */
import { parseArgs, secondsOption, UsageError } from "./args";
import { runCommand } from "./command-shell";
import { formatNumber } from "../grader/reports/csv";
import { createKernelRunner } from "../grader/running/kernel-runner";
import type { NotebookRunner } from "../grader/running/runner";
import { validateNotebook, type Validation } from "../grader/scoring/validate";

/** Usage text of `spindle validate`. */
export const VALIDATE_USAGE = `Usage: spindle validate STUDENT.ipynb... [--timeout SECONDS] [--notebook-timeout SECONDS]

Runs each notebook in a fresh kernel and tells which graded cells pass their
visible tests (hidden tests run only when the teacher grades). Exit code 0 when
every graded cell passes, 1 otherwise.
`;

/** Runs `spindle validate`; `runner` replaces the kernel runner (tests). Returns the exit code. */
export function validateCommand(argv: string[], runner?: NotebookRunner): Promise<number> {
  return runCommand("validate", VALIDATE_USAGE, argv, async (out) => {
    const args = parseArgs(argv, { valued: ["timeout", "notebook-timeout"] });
    if (args.positionals.length === 0)
      throw new UsageError("give the notebook to check, e.g. spindle validate bank-account.ipynb");
    const limits = {
      cellTimeout: secondsOption(args, "timeout", 60),
      notebookTimeout: secondsOption(args, "notebook-timeout", 600),
    };
    const run = runner ?? createKernelRunner();
    let ok = true;
    for (const path of args.positionals) {
      const v = await validateNotebook(path, run, limits);
      out.write(report(v));
      ok &&= v.cells.every((c) => c.passed) && v.editedLocked.length === 0;
    }
    return ok ? 0 : 1;
  });
}

/** The text report of one validation. */
export function report(v: Validation): string {
  const width = Math.max(...v.cells.map((c) => c.gradeId.length));
  const lines = [`${v.path}:`];
  for (const c of v.cells) {
    const mark = c.score === undefined ? "?" : c.passed ? "✓" : "✗";
    const score =
      c.score === undefined
        ? `graded by hand (${formatNumber(c.max)})`
        : `${formatNumber(c.score)}/${formatNumber(c.max)}`;
    lines.push(`  ${mark} ${c.gradeId.padEnd(width)}  ${score}${c.detail ? `  ${c.detail}` : ""}`);
  }
  for (const id of v.editedLocked)
    lines.push(`  ! locked cell "${id}" was changed; grading will use the original, so undo your edit.`);
  const auto = v.cells.filter((c) => c.score !== undefined);
  const got = auto.reduce((s, c) => s + (c.score ?? 0), 0);
  const max = auto.reduce((s, c) => s + c.max, 0);
  const passed = auto.filter((c) => c.passed).length;
  lines.push(
    `  ${passed} of ${auto.length} tested cells pass (${formatNumber(got)}/${formatNumber(max)} points from visible tests; hidden tests run at grading).`,
    "",
  );
  return lines.join("\n");
}
