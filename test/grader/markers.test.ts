import { test } from "node:test";
import assert from "node:assert/strict";
import { removeHiddenTests, replaceSolutionRegions, TYPESCRIPT_CODE_STUB } from "../../src/grader/format/markers";
import { GraderError } from "../../src/grader/errors";

test("a solution region becomes the stub, indented like its BEGIN line", () => {
  const src = "function f(n: number) {\n  // BEGIN SOLUTION\n  return n * 2;\n  // END SOLUTION\n}";
  const r = replaceSolutionRegions(src, TYPESCRIPT_CODE_STUB, "cell");
  assert.equal(r.found, true);
  assert.equal(r.source, 'function f(n: number) {\n  // YOUR CODE HERE\n  throw new Error("not implemented yet")\n}');
});

test("several solution regions and text without markers", () => {
  const src = "a\n/* BEGIN SOLUTION */\nx\n/* END SOLUTION */\nb\n// BEGIN SOLUTION\ny\n// END SOLUTION";
  assert.equal(replaceSolutionRegions(src, "STUB", "c").source, "a\nSTUB\nb\nSTUB");
  assert.deepEqual(replaceSolutionRegions("no markers", "STUB", "c"), { source: "no markers", found: false });
});

test("hidden test regions are removed with their marker lines", () => {
  const src = "assert(a);\n// BEGIN HIDDEN TESTS\nassert(b);\n// END HIDDEN TESTS\nassert(c);";
  assert.deepEqual(removeHiddenTests(src, "c"), { source: "assert(a);\nassert(c);", found: true });
});

test("nested or unterminated regions are errors naming the cell", () => {
  const nested = "// BEGIN SOLUTION\n// BEGIN SOLUTION\n// END SOLUTION";
  assert.throws(
    () => replaceSolutionRegions(nested, "S", "source.ipynb, cell 3"),
    (e: unknown) => e instanceof GraderError && e.code === "ERR_GRADER_MARKERS" && /cell 3/.test(e.message),
  );
  assert.throws(
    () => removeHiddenTests("// BEGIN HIDDEN TESTS\nx", "c"),
    (e: unknown) => e instanceof GraderError && /without a matching "END HIDDEN TESTS"/.test(e.message),
  );
});
