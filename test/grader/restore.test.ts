import { test } from "node:test";
import assert from "node:assert/strict";
import { buildAssignment } from "../../src/grader/format/release";
import { restoreSubmission } from "../../src/grader/format/restore";
import { GraderError } from "../../src/grader/errors";
import { gradeId } from "../../src/grader/format/cells";
import { code, locked, notebook, solution, test as testCell } from "./helpers/build";

const assignment = () =>
  buildAssignment(
    notebook([
      locked("setup", "const factor = 2;"),
      solution("answer", "function f(n: number) {\n  // BEGIN SOLUTION\n  return n * factor;\n  // END SOLUTION\n}"),
      testCell("t1", 2, "assert(f(1) === 2);\n// BEGIN HIDDEN TESTS\nassert(f(5) === 10);\n// END HIDDEN TESTS"),
      testCell("t2", 1, "assert(f(0) === 0);"),
    ]),
    "src.ipynb",
  );

const student = () => {
  const nb = structuredClone(assignment().released);
  nb.cells[1]!.source = "function f(n: number) { return n * factor; }";
  return nb;
};

test("an untouched submission: hidden tests restored, answers kept, nothing reported", () => {
  const r = restoreSubmission(assignment(), student(), "alice.ipynb");
  assert.deepEqual(r.changes, []);
  assert.ok(r.notebook.cells[2]!.source.includes("assert(f(5) === 10)"));
  assert.equal(r.notebook.cells[1]!.source, "function f(n: number) { return n * factor; }");
});

test("an edited locked test cell is reported and graded with the original", () => {
  const nb = student();
  nb.cells[2]!.source = "// all good\n";
  nb.cells[2]!.metadata.nbgrader!.points = 100;
  const r = restoreSubmission(assignment(), nb, "mallory.ipynb");
  assert.deepEqual(
    r.changes.map((c) => [c.gradeId, c.kind]),
    [
      ["t1", "metadata"],
      ["t1", "edited-locked"],
    ],
  );
  assert.ok(r.notebook.cells[2]!.source.startsWith("assert(f(1) === 2);"));
  assert.equal(r.notebook.cells[2]!.metadata.nbgrader!.points, 2);
  assert.ok(!r.changes.some((c) => c.message.includes("f(5)")), "a message quotes a hidden test");
});

test("deleted cells are put back in place; copies and unknown ids are ignored", () => {
  const nb = student();
  const copy = structuredClone(nb.cells[3]!);
  nb.cells.splice(2, 1);
  nb.cells.push(copy, { ...code("extra"), metadata: { nbgrader: { grade_id: "mine", grade: true, points: 50 } } });
  const r = restoreSubmission(assignment(), nb, "bob.ipynb");
  assert.deepEqual(
    r.notebook.cells.map((c) => gradeId(c) ?? "-"),
    ["setup", "answer", "t1", "t2", "-", "-"],
  );
  assert.deepEqual(r.changes.map((c) => c.kind).sort(), ["deleted", "duplicate-id", "unknown-id"]);
});

test("a notebook of another assignment or another kernel is rejected", () => {
  const other = notebook([testCell("x1", 1, "1"), solution("x2", "2"), code("3")]);
  assert.throws(
    () => restoreSubmission(assignment(), other, "eve.ipynb"),
    (e: unknown) =>
      e instanceof GraderError &&
      e.code === "ERR_GRADER_WRONG_ASSIGNMENT" &&
      /eve.ipynb has 0 of the 4/.test(e.message),
  );
  const py = student();
  py.metadata.kernelspec = { name: "python3", language: "python" };
  assert.throws(
    () => restoreSubmission(assignment(), py, "p.ipynb"),
    (e: unknown) => e instanceof GraderError && e.code === "ERR_GRADER_WRONG_KERNEL",
  );
});
