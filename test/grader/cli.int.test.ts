/** `spindle release` and `spindle validate` as a teacher and a student run them. */
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { HIDDEN_MARK, writeClass } from "./helpers/fixture";
import { leftovers, spindle } from "./helpers/cli";
import { parseNotebook, serializeNotebook } from "../../src/nbformat/notebook";

const cls = writeClass();
after(() => rmSync(cls.dir, { recursive: true, force: true }));

test("release writes the student version and refuses bad arguments", async () => {
  const out = join(cls.dir, "release");
  const ok = await spindle(["release", cls.source, "--out", out]);
  assert.equal(ok.code, 0, ok.stderr);
  assert.match(
    ok.stdout,
    /source.ipynb → .*release\/source.ipynb: 2 answer cell\(s\), 3 graded cell\(s\), hidden tests removed from 1/,
  );
  const text = readFileSync(join(out, "source.ipynb"), "utf8");
  assert.ok(!text.includes(HIDDEN_MARK) && !text.includes("return n * factor"));
  const noOut = await spindle(["release", cls.source]);
  assert.equal(noOut.code, 2);
  assert.match(noOut.stderr, /spindle release: --out DIR is required/);
  const overwrite = await spindle(["release", cls.source, "--out", cls.dir]);
  assert.equal(overwrite.code, 2);
  assert.match(overwrite.stderr, /would overwrite the source/);
  const bad = await spindle(["release", cls.submissions.malformed!, "--out", out]);
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /^spindle release: .*malformed.ipynb is not a Jupyter notebook/);
  const unknown = await spindle(["grade", "--frobnicate"]);
  assert.equal(unknown.code, 2);
  assert.match(unknown.stderr, /unknown option --frobnicate/);
});

test("validate tells a student which visible tests pass", { timeout: 900_000 }, async () => {
  const untouched = await spindle(["validate", cls.submissions.untouched!, "--timeout", "60"]);
  assert.equal(untouched.code, 1, untouched.stderr);
  assert.match(untouched.stdout, /✗ t_small\s+0\/2\s+Error: not implemented yet/);
  assert.match(untouched.stdout, /✗ t_one\s+0\/3/);
  assert.match(untouched.stdout, /✗ explain\s+0\/1\s+not answered yet/);
  assert.match(untouched.stdout, /0 of 3 tested cells pass \(0\/6 points from visible tests/);

  const partial = await spindle(["validate", cls.submissions.partial!, "--timeout", "60"]);
  assert.equal(partial.code, 1);
  assert.match(partial.stdout, /✓ t_small\s+2\/2/);
  assert.match(partial.stdout, /✗ t_one\s+1.5\/3\s+double\(1\) should be 2; half the points for the rest/);
  assert.match(partial.stdout, /\? explain\s+graded by hand \(1\)/);

  const edited = parseNotebook(readFileSync(cls.submissions.tamper!, "utf8"), "tamper");
  writeFileSync(join(cls.dir, "tamper-copy.ipynb"), serializeNotebook(edited));
  const tamper = await spindle(["validate", join(cls.dir, "tamper-copy.ipynb"), "--timeout", "60"]);
  assert.equal(tamper.code, 1, "an edited locked cell is not a clean validation");
  assert.match(tamper.stdout, /! locked cell "t_small" was changed; grading will use the original/);
  assert.deepEqual(await leftovers(tamper.tag), []);
});

test("validate refuses notebooks it cannot check", async () => {
  const source = await spindle(["validate", cls.source]);
  assert.equal(source.code, 1);
  assert.match(source.stderr, /still contains hidden tests \("t_small"\)/);
  assert.ok(!source.stderr.includes(HIDDEN_MARK));
  const python = await spindle(["validate", cls.submissions.python!]);
  assert.match(python.stderr, /not TypeScript/);
  assert.ok(!existsSync(join(cls.dir, "nothing")));
});
