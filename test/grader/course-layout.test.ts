/**
 * nbgrader's course layout on the command line: `spindle release source/ --out release/`
 * releases every assignment, and students in `submitted/<student>/<assignment>/` are named by
 * their folder however many are graded (one alone included, so --resume keeps its name).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { serializeNotebook } from "../../src/nbformat";
import { studentNames } from "../../src/grader/students";
import { sourceNotebook, HIDDEN_MARK } from "./helpers/fixture";
import { spindle } from "./helpers/cli";

test("spindle release source/ --out release/ releases every assignment into its folder", async () => {
  const dir = mkdtempSync(join(tmpdir(), "spindle-course-"));
  try {
    for (const a of ["ps1", "ps2"]) {
      mkdirSync(join(dir, "source", a, ".ipynb_checkpoints"), { recursive: true });
      writeFileSync(join(dir, "source", a, `${a}.ipynb`), serializeNotebook(sourceNotebook()));
      writeFileSync(join(dir, "source", a, ".ipynb_checkpoints", `${a}-checkpoint.ipynb`), "not a notebook");
    }
    const run = await spindle(["release", join(dir, "source"), "--out", join(dir, "release")]);
    assert.equal(run.code, 0, run.stderr);
    for (const a of ["ps1", "ps2"]) {
      const released = readFileSync(join(dir, "release", a, `${a}.ipynb`), "utf8");
      assert.doesNotMatch(released, new RegExp(HIDDEN_MARK));
      assert.match(released, /YOUR CODE HERE/);
    }
    const empty = await spindle(["release", join(dir, "release", "ps1", ".none"), "--out", join(dir, "x")]);
    assert.notEqual(empty.code, 0);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("students of submitted/<student>/<assignment>/ are named by folder, also one alone", () => {
  assert.deepEqual(studentNames(["/c/submitted/alice/ps1/ps1.ipynb"]), ["alice"]);
  assert.deepEqual(studentNames(["/c/submitted/alice/ps1/ps1.ipynb", "/c/submitted/=bob/ps1/ps1.ipynb"]), [
    "alice",
    "=bob",
  ]);
  assert.deepEqual(studentNames(["/x/alice.ipynb", "/x/bob.ipynb"]), ["alice", "bob"]);
});
