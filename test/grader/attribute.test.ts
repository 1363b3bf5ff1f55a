import { test } from "node:test";
import assert from "node:assert/strict";
import { attributeFailure } from "../../src/grader/scoring/attribute";
import { errorOut } from "./helpers/build";

const source = "assert(a);\nassert(b);\n// BEGIN HIDDEN TESTS\nassert(secret);\n// END HIDDEN TESTS\nassert(c);";
const at = (line: number, ec = 7) => [
  {
    ...errorOut("Error", "boom"),
    traceback: [
      "\u001b[0;31mError\u001b[0m: boom",
      `  at f (\u001b[0;36mcell [2]\u001b[0m, line 9, column 1)`,
      `  at (\u001b[0;36mcell [${ec}]\u001b[0m, line ${line}, column 3)\n  ${line} | code`,
    ],
  },
];

test("a failure on a visible line is shown with its visible line number", () => {
  assert.deepEqual(attributeFailure(at(2), source, 7), { hidden: false, text: "Error: boom (line 2 of this cell)" });
  assert.deepEqual(attributeFailure(at(6), source, 7), { hidden: false, text: "Error: boom (line 3 of this cell)" });
});

test("a failure on a hidden line, or one that cannot be placed, reveals nothing", () => {
  assert.deepEqual(attributeFailure(at(4), source, 7), { hidden: true });
  assert.deepEqual(attributeFailure(at(3), source, 7), { hidden: true });
  assert.deepEqual(attributeFailure(at(2, 8), source, 7), { hidden: true }, "frames of other cells do not count");
  assert.deepEqual(attributeFailure([errorOut("TimeoutError", "late")], source, 7), { hidden: true });
  assert.deepEqual(attributeFailure(at(2), source, null), { hidden: true });
});
