import { test } from "node:test";
import assert from "node:assert/strict";
import { buildAssignment } from "../../src/grader/format/release";
import { computeChecksum } from "../../src/grader/format/cells";
import { GraderError } from "../../src/grader/errors";
import { serializeNotebook } from "../../src/nbformat";
import { parseNotebook } from "../../src/grader/format/notebook-input";
import { code, locked, markdown, notebook, result, solution, test as testCell } from "./helpers/build";

const SECRET = "secretHiddenCheck";

function source() {
  return notebook([
    markdown("# Doubling"),
    locked("setup", 'import { sleep } from "spindle/time";'),
    solution(
      "answer",
      "function double(n: number): number {\n  // BEGIN SOLUTION\n  return n * 2;\n  // END SOLUTION\n}",
    ),
    testCell(
      "t_double",
      2,
      `assert(double(2) === 4);\n// BEGIN HIDDEN TESTS\nconst ${SECRET} = double(21);\nassert(${SECRET} === 42);\n// END HIDDEN TESTS`,
      [result("4")],
    ),
    markdown("Why?", { grade_id: "why", grade: true, solution: true, points: 1 }),
    code("console.log('scratch')", [result("1")]),
  ]);
}

test("release: no solution text, no hidden tests, no outputs, checksums recorded", () => {
  const { released } = buildAssignment(source(), "doubling.ipynb");
  const text = serializeNotebook(released);
  assert.ok(!text.includes("n * 2"), "solution text leaked");
  assert.ok(!text.includes(SECRET) && !text.includes("HIDDEN"), "hidden test leaked");
  const answer = released.cells[2];
  assert.equal(
    answer!.source,
    'function double(n: number): number {\n  // YOUR CODE HERE\n  throw new Error("not implemented yet")\n}',
  );
  assert.equal(released.cells[3]!.source, "assert(double(2) === 4);");
  assert.equal(released.cells[4]!.source, "YOUR ANSWER HERE");
  for (const cell of released.cells) {
    if (cell.cell_type === "code") {
      assert.deepEqual(cell.outputs, []);
      assert.equal(cell.execution_count, null);
    }
    const nb = cell.metadata.nbgrader;
    if (nb) {
      assert.equal(nb.checksum, computeChecksum(cell));
      assert.equal(nb.cell_type, cell.cell_type);
    }
  }
  assert.equal(released.cells[3]!.metadata.editable, false);
  assert.equal(released.cells[3]!.metadata.deletable, false);
  assert.equal(released.cells[2]!.metadata.editable, undefined);
  assert.equal(released.cells[0]!.metadata.nbgrader, undefined);
});

test("release: the gradable version keeps hidden tests, with its own checksums", () => {
  const { gradable, released } = buildAssignment(source(), "doubling.ipynb");
  assert.ok(gradable.cells[3]!.source.includes(SECRET));
  assert.ok(!gradable.cells[2]!.source.includes("n * 2"));
  assert.notEqual(gradable.cells[3]!.metadata.nbgrader!.checksum, released.cells[3]!.metadata.nbgrader!.checksum);
  assert.equal(gradable.cells[2]!.metadata.nbgrader!.checksum, released.cells[2]!.metadata.nbgrader!.checksum);
});

test("release round-trips through nbformat JSON (sources as line lists)", () => {
  const { released } = buildAssignment(source(), "doubling.ipynb");
  const text = serializeNotebook(released);
  const raw = JSON.parse(text);
  assert.deepEqual(raw.cells[2].source, [
    "function double(n: number): number {\n",
    "  // YOUR CODE HERE\n",
    '  throw new Error("not implemented yet")\n',
    "}",
  ]);
  assert.ok(text.startsWith('{\n "cells": [\n  {\n   "cell_type"'));
  const reparsed = parseNotebook(text, "x");
  assert.deepEqual(
    reparsed.cells.map((c) => c.id),
    released.cells.map((_, i) => `cell-${i + 1}`),
    "nbformat 4.5 ids added",
  );
  assert.deepEqual({ ...reparsed, cells: reparsed.cells.map(({ id: _id, ...c }) => c) }, released);
});

const rejects = (nb: unknown, code: string, pattern: RegExp) => {
  assert.throws(
    () => buildAssignment(typeof nb === "string" ? parseNotebook(nb, "bad.ipynb") : (nb as never), "bad.ipynb"),
    (e: unknown) => e instanceof GraderError && e.code === code && pattern.test(e.message),
  );
};

test("bad sources are rejected with a clear error", () => {
  rejects("{not json", "ERR_GRADER_NOT_A_NOTEBOOK", /not valid JSON/);
  rejects('{"cells": [], "nbformat": 3}', "ERR_GRADER_NOT_A_NOTEBOOK", /format 4.*nbformat 3/);
  const python = source();
  python.metadata.kernelspec = { name: "python3", display_name: "Python 3", language: "python" };
  rejects(python, "ERR_GRADER_WRONG_KERNEL", /Python 3.*TypeScript \(Spindle\)/);
  const dup = source();
  dup.cells.push(testCell("t_double", 1, "assert(true);"));
  rejects(dup, "ERR_GRADER_DUPLICATE_GRADE_ID", /cells 4 and 7 both have grade_id "t_double"/);
  rejects(notebook([code("1"), solution("a", "x")]), "ERR_GRADER_NO_GRADED_CELLS", /no graded cells/);
  rejects(
    notebook([testCell("t", 1, "// BEGIN SOLUTION\nx\n// END SOLUTION")]),
    "ERR_GRADER_MARKERS",
    /not an answer cell/,
  );
  rejects(
    notebook([testCell("t", 1, "x"), code("// BEGIN HIDDEN TESTS\ny\n// END HIDDEN TESTS")]),
    "ERR_GRADER_MARKERS",
    /not a graded cell/,
  );
  const noPoints = notebook([testCell("t", 1, "x")]);
  delete noPoints.cells[0]!.metadata.nbgrader!.points;
  rejects(noPoints, "ERR_GRADER_BAD_METADATA", /needs metadata.nbgrader.points/);
});
