/**
 * A small assignment and a class of submissions on disk, one per case the
 * grader must handle: the source itself, the untouched release, a partial
 * answer, an endless loop, a deadlock, process.exit, an edited locked cell,
 * and three files to reject.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildAssignment } from "../../../src/grader/format/release";
import { serializeNotebook, type Notebook } from "../../../src/nbformat/notebook";
import { code, locked, markdown, notebook, solution, test } from "./build";

/** Text that appears only in hidden tests; it must never reach a student. */
export const HIDDEN_MARK = "hiddenCheckTwentyOne";

/** The teacher's source notebook. */
export function sourceNotebook(): Notebook {
  return notebook([
    markdown("# Doubling\nWrite `double(n)`."),
    locked("setup", "const factor = 2;"),
    solution(
      "answer",
      "function double(n: number): number {\n  // BEGIN SOLUTION\n  return n * factor;\n  // END SOLUTION\n}",
    ),
    test(
      "t_small",
      2,
      'if (double(2) !== 4) throw new Error("double(2) should be 4");\nconsole.log("double(2) is 4");\n' +
        `// BEGIN HIDDEN TESTS\nconst ${HIDDEN_MARK} = double(21);\nif (${HIDDEN_MARK} !== 42) throw new Error("${HIDDEN_MARK} failed: " + ${HIDDEN_MARK});\n// END HIDDEN TESTS`,
    ),
    test(
      "t_one",
      3,
      'import { points } from "spindle/grading";\n' +
        "const one: unknown = await Promise.resolve(double(1));\n" +
        'one === 2 ? points(3) : points(1.5, "double(1) should be 2; half the points for the rest")',
    ),
    markdown("Explain your answer.", { grade_id: "explain", grade: true, solution: true, points: 1 }),
  ]);
}

/** The answer cell's source for a student whose `double` body is `body`. */
function withAnswer(released: Notebook, body: string): Notebook {
  const nb = structuredClone(released);
  nb.cells[2]!.source = `function double(n: number): number {\n${body}\n}`;
  nb.cells[5]!.source = "Multiplying by the factor.";
  return nb;
}

/** Writes source.ipynb, release/source.ipynb and submissions/<name>.ipynb under a fresh temp dir. */
export function writeClass(): { dir: string; source: string; submissions: Record<string, string> } {
  const dir = mkdtempSync(join(tmpdir(), "spindle-grader-"));
  const src = sourceNotebook();
  const source = join(dir, "source.ipynb");
  writeFileSync(source, serializeNotebook(src));
  const { released } = buildAssignment(src, source);
  mkdirSync(join(dir, "submissions"));
  const tamper = withAnswer(released, "  return n * factor;");
  tamper.cells[3]!.source = "// looks fine to me";
  const nbs: Record<string, Notebook | string> = {
    solved: src,
    untouched: released,
    partial: withAnswer(released, "  return n === 1 ? 3 : n * factor;"),
    wrong21: withAnswer(released, "  return n === 21 ? 0 : n * factor;"),
    loop: withAnswer(released, "  while (n > 10) {}\n  return n * factor;"),
    // Two tasks take two locks in opposite order: a real lock-ordering deadlock when the test awaits double(1).
    deadlock: withAnswer(
      released,
      '  const { Lock } = require("spindle/multiprocessing");\n  const { sleep } = require("spindle/time");\n' +
        "  const a = new Lock(), b = new Lock();\n" +
        "  const task = async (x: typeof a, y: typeof a) => { await x.acquire(); await sleep(0.05); await y.acquire(); };\n" +
        "  if (n === 1) return Promise.all([task(a, b), task(b, a)]).then(() => 2) as never;\n  return n * factor;",
    ),
    exits: withAnswer(released, "  if (n === 1) process.exit(3);\n  return n * factor;"),
    tamper,
    malformed: '{"cells": [ {"cell_type": "code", "source": "oops"',
    python: {
      ...withAnswer(released, "  return n * factor;"),
      metadata: { kernelspec: { name: "python3", display_name: "Python 3", language: "python" } },
    },
    other: notebook([test("q1", 1, "1"), solution("q2", "2"), code("3")]),
  };
  const submissions: Record<string, string> = {};
  for (const [name, nb] of Object.entries(nbs)) {
    submissions[name] = join(dir, "submissions", `${name}.ipynb`);
    writeFileSync(submissions[name], typeof nb === "string" ? nb : serializeNotebook(nb));
  }
  return { dir, source, submissions };
}
