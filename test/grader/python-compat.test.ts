/**
 * Cross-checks against CPython itself: float spelling and parsing, and the
 * checksum formula written the way nbgrader's utils.compute_checksum writes it.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { serializeNotebook } from "../../src/nbformat/notebook";
import { parsePythonFloat, pythonFloatStr } from "../../src/grader/format/python-float";
import { computeChecksum } from "../../src/grader/format/cells";
import { code, locked, markdown, notebook, solution, test as testCell } from "./helpers/build";

const PY = "/usr/bin/python3";

function python(script: string, input: unknown): unknown {
  const out = execFileSync(PY, ["-c", script], { input: JSON.stringify(input), timeout: 20_000 });
  return JSON.parse(out.toString("utf8"));
}

test("pythonFloatStr matches str(float(x)) for many values", () => {
  const values = [
    0,
    1,
    2,
    0.5,
    10,
    2.5,
    1 / 3,
    0.1,
    1e-4,
    1e-5,
    1.5e-5,
    123456789,
    1e15,
    1e16,
    1.2345e16,
    1e22,
    -3.75,
    99.99,
    0.30000000000000004,
    5e-324,
    1.7976931348623157e308,
    12345.678,
    100,
    1e-7,
  ];
  const expected = python(
    "import json,sys; print(json.dumps([str(float(x)) for x in json.load(sys.stdin)]))",
    values,
  ) as string[];
  assert.deepEqual(values.map(pythonFloatStr), expected);
  assert.equal(pythonFloatStr(-0), "-0.0"); // JSON cannot carry -0 to Python
  assert.equal(pythonFloatStr(NaN), "nan");
  assert.equal(pythonFloatStr(Infinity), "inf");
});

test("parsePythonFloat accepts exactly what float(text) accepts", () => {
  const texts = [
    "2",
    " 2.5\n",
    "1_000",
    "1__0",
    "_1",
    "1.",
    ".5",
    ".",
    "1e3",
    "1E-2",
    "+3",
    "-0",
    "inf",
    "-Infinity",
    "nan",
    "abc",
    "",
    "2 points",
    "0x10",
    "1e",
    "3.0\n",
    "١",
  ];
  const expected = python(
    "import json,sys\nres=[]\nfor t in json.load(sys.stdin):\n  try: v=float(t); res.append('nan' if v!=v else repr(v))\n  except ValueError: res.append(None)\nprint(json.dumps(res))",
    texts.filter((t) => t !== "١"),
  ) as (string | null)[];
  const ours = texts
    .filter((t) => t !== "١")
    .map((t) => {
      const v = parsePythonFloat(t);
      return v === undefined ? null : Number.isNaN(v) ? "nan" : pythonFloatStr(v);
    });
  assert.deepEqual(ours, expected);
});

test("computeChecksum equals nbgrader's formula computed by Python's hashlib", () => {
  const cells = [
    testCell("t1", 2, "assert(1 === 1);\n// ünïcode ✓"),
    testCell("t2", 0.5, ""),
    solution("s1", '// YOUR CODE HERE\nthrow new Error("not implemented yet")'),
    locked("l1", "const x = 1;"),
    markdown("Explain why.", { grade_id: "m1", grade: true, solution: true, points: 3 }),
    markdown("Read this.", { grade_id: "m2", locked: true }),
    code("plain"),
  ];
  cells[6]!.metadata.nbgrader = { grade_id: "p", schema_version: 3 };
  const script = `
import json, sys, hashlib
def is_grade(c): return c['metadata'].get('nbgrader', {}).get('grade', False)
def is_solution(c): return c['metadata'].get('nbgrader', {}).get('solution', False)
def is_locked(c):
    if 'nbgrader' not in c['metadata']: return False
    if is_solution(c): return False
    if is_grade(c): return True
    return bool(c['metadata']['nbgrader'].get('locked', False))
out = []
for c in json.load(sys.stdin):
    m = hashlib.md5()
    m.update(c['source'].encode('utf-8'))
    m.update(c['cell_type'].encode('utf-8'))
    m.update(str(is_grade(c)).encode('utf-8'))
    m.update(str(is_solution(c)).encode('utf-8'))
    m.update(str(is_locked(c)).encode('utf-8'))
    m.update(c['metadata']['nbgrader']['grade_id'].encode('utf-8'))
    if is_grade(c): m.update(str(float(c['metadata']['nbgrader']['points'])).encode('utf-8'))
    out.append(m.hexdigest())
print(json.dumps(out))`;
  assert.deepEqual(cells.map(computeChecksum), python(script, cells));
});

test("released and executed notebooks pass Jupyter's own nbformat validation", () => {
  // The sample course: <edition>/{source,release}/<assignment>/<notebook>.ipynb, English and Chinese.
  const course = join(__dirname, "..", "..", "..", "notebooks", "assignments");
  const files = [course, join(course, "zh")].flatMap((root) =>
    ["source", "release"].flatMap((d) =>
      readdirSync(join(root, d)).flatMap((a) =>
        readdirSync(join(root, d, a))
          .filter((f) => f.endsWith(".ipynb"))
          .map((f) => join(root, d, a, f)),
      ),
    ),
  );
  assert.ok(files.length >= 48, `the sample course's notebooks: found ${files.length}`);
  const dir = mkdtempSync(join(tmpdir(), "spindle-nbformat-"));
  try {
    const nb = notebook([
      testCell("t", 1, "x", [
        { output_type: "stream", name: "stdout", text: "a\nb\n" },
        { output_type: "execute_result", data: { "text/plain": "2" }, metadata: {}, execution_count: 1 },
      ]),
    ]);
    nb.cells[0]!.execution_count = 1;
    const executed = join(dir, "executed.ipynb");
    writeFileSync(executed, serializeNotebook(nb));
    const script =
      "import sys, nbformat\nfor p in sys.argv[1:]:\n    nbformat.validate(nbformat.read(p, as_version=4))\nprint('ok', len(sys.argv) - 1)";
    const out = execFileSync(PY, ["-c", script, ...files, executed], { timeout: 30_000 })
      .toString()
      .trim();
    assert.equal(out, `ok ${files.length + 1}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
