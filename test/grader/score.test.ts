import { test } from "node:test";
import assert from "node:assert/strict";
import { determineGrade, pointsMessage, POINTS_MIME } from "../../src/grader/scoring/score";
import { computeChecksum } from "../../src/grader/format/cells";
import { points } from "../../src/grader/grading";
import { JUPYTER_DISPLAY } from "../../src/display/mime";
import { markdown, errorOut, result, solution, stream, test as testCell } from "./helpers/build";

const score = (outputs: Parameters<typeof testCell>[3]) => determineGrade(testCell("t", 3, "x", outputs));

test("nbgrader's rules for code grade cells", () => {
  assert.deepEqual(score([]), { score: 3, max: 3, reason: "passed" });
  assert.equal(score([stream("stdout", "hello\n")]).score, 3);
  assert.equal(score([errorOut("AssertionError", "no")]).score, 0);
  assert.equal(score([stream("stderr", "warning\n")]).score, 0);
  assert.equal(score([result("1.5")]).score, 1.5);
  assert.equal(score([result(" 2\n")]).score, 2);
  assert.equal(score([result("7")]).score, 3, "capped at the cell's points");
  assert.equal(score([result("'done'")]).score, 3, "not a number: full points, as nbgrader");
  assert.equal(score([result("1"), errorOut("E", "late")]).score, 1, "first decisive output wins, as nbgrader");
  assert.equal(score([stream("stdout", "x"), errorOut("E", "e"), result("3")]).score, 0);
});

test("answer cells graded by hand; an unchanged one scores 0", () => {
  const cell = markdown("YOUR ANSWER HERE", { grade_id: "m", grade: true, solution: true, points: 2 });
  cell.metadata.nbgrader!.checksum = computeChecksum(cell);
  assert.deepEqual(determineGrade(cell), { score: 0, max: 2, reason: "unanswered" });
  cell.source = "Because the lock serialises the updates.";
  assert.deepEqual(determineGrade(cell), { score: undefined, max: 2, reason: "manual" });
  assert.equal(determineGrade(solution("s", "x")).reason, "manual");
});

test("points() renders as a bare number nbgrader parses, with its message beside it", () => {
  const p = points(2, "ordering correct, bound broken");
  const bundle = p[JUPYTER_DISPLAY]();
  assert.equal(bundle["text/plain"], "2");
  assert.deepEqual(bundle[POINTS_MIME], { points: 2, message: "ordering correct, bound broken" });
  const cell = testCell("t", 4, "x", [result(String(bundle["text/plain"]), { [POINTS_MIME]: bundle[POINTS_MIME] })]);
  assert.equal(determineGrade(cell).score, 2);
  assert.equal(pointsMessage(cell), "ordering correct, bound broken");
  assert.equal(String(points(0.5)), "0.5");
  assert.throws(() => points(-1), /finite number ≥ 0/);
  assert.throws(
    () => points(NaN),
    (e: unknown) => (e as { code?: string }).code === "ERR_SPINDLE_BAD_POINTS",
  );
});
