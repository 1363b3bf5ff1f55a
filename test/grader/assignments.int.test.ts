/**
 * The sample assignments in notebooks/assignments: the committed student
 * versions are exactly what `spindle release` makes of the sources; grading
 * a source gives full marks on every autograded cell; grading the untouched
 * student version gives 0 on every code test cell.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildAssignment } from "../../src/grader/format/release";
import { readNotebook, serializeNotebook } from "../../src/nbformat/notebook";
import { gradeBatch } from "../../src/grader/grade-batch";

const ROOT = join(__dirname, "..", "..", "..", "notebooks", "assignments");
const names = readdirSync(join(ROOT, "source")).filter((f) => f.endsWith(".ipynb")).sort();

test("there are at least three sample assignments", () => {
  assert.ok(names.length >= 3, `found ${names.join(", ")}`);
});

for (const name of names) {
  const source = join(ROOT, "source", name);
  const release = join(ROOT, "release", name);

  test(`${name}: release/ is up to date with source/`, () => {
    const { released } = buildAssignment(readNotebook(source), source);
    assert.equal(readFileSync(release, "utf8"), serializeNotebook(released), `run: spindle release ${source} --out ${join(ROOT, "release")}`);
  });

  test(`${name}: the solution earns every autograded point, the untouched release none`, { timeout: 1_200_000 }, async () => {
    const out = mkdtempSync(join(tmpdir(), "spindle-assignment-"));
    try {
      const { results } = await gradeBatch({
        sourcePath: source, submissions: [source, release], outDir: out, jobs: 2, progress: null,
        limits: { cellTimeout: 120, notebookTimeout: 600 },
      });
      const [solved, untouched] = results;
      assert.equal(solved!.status, "graded", solved!.error);
      assert.equal(untouched!.status, "graded", untouched!.error);
      const executed = (id: string) => solved!.executed!.cells.find((c) => c.metadata.nbgrader?.grade_id === id)!;
      for (const cell of solved!.cells.filter((c) => c.cellType === "code")) {
        // A cell that scores a measured speedup (metadata.spindle.measures_time) depends on the machine's load:
        // here it must run and give a score; its value is the assignment's business, not this test's.
        if ((executed(cell.gradeId).metadata.spindle as { measures_time?: boolean } | undefined)?.measures_time) {
          assert.ok(cell.score !== undefined && cell.reason !== "timeout", `${cell.gradeId} did not run to a score`);
          assert.match(JSON.stringify(executed(cell.gradeId).outputs), /speedup/);
          continue;
        }
        assert.equal(cell.score, cell.max, `solution: ${cell.gradeId} scored ${cell.score}/${cell.max}: ${cell.message ?? ""}\n${JSON.stringify(executed(cell.gradeId).outputs)}`);
      }
      assert.deepEqual(solved!.changes, []);
      for (const cell of untouched!.cells.filter((c) => c.cellType === "code")) assert.equal(cell.score, 0, `release: ${cell.gradeId}`);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
}

test("bank-account.ipynb: an answer without the lock loses the race test's points", { timeout: 1_200_000 }, async () => {
  const source = join(ROOT, "source", "bank-account.ipynb");
  const out = mkdtempSync(join(tmpdir(), "spindle-assignment-"));
  try {
    const nb = readNotebook(join(ROOT, "release", "bank-account.ipynb"));
    const answer = nb.cells.find((c) => c.metadata.nbgrader?.grade_id === "answer")!;
    answer.source = "function withdraw(account: { balance: number }, lock: Lock, amount: number): boolean {\n" +
      "  if (account.balance < amount) return false;\n  pause(5);\n  account.balance -= amount;\n  return true;\n}";
    const path = join(out, "nolock.ipynb");
    writeFileSync(path, serializeNotebook(nb));
    const { results } = await gradeBatch({ sourcePath: source, submissions: [path], outDir: out, jobs: 1, progress: null, limits: { cellTimeout: 120, notebookTimeout: 600 } });
    const score = Object.fromEntries(results[0]!.cells.map((c) => [c.gradeId, c.score]));
    assert.equal(score.t_never_overdrawn, 0, "four tellers at once without a lock must overdraw");
    assert.equal(score.t_released, 0, "its hidden test (twelve tellers at once) catches the race too");
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});
