/**
 * `spindle grade` end to end: real kernels (one per submission, on Spindle's
 * process Pool), a class with every case the grader must handle, grades.csv
 * checked exactly, feedback checked for hidden-test leaks, nothing left running.
 */
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { HIDDEN_MARK, writeClass } from "./helpers/fixture";
import { leftovers, spindle } from "./helpers/cli";

const cls = writeClass();
after(() => rmSync(cls.dir, { recursive: true, force: true }));
const out = join(cls.dir, "out");

const EXPECTED_CSV = `student,cell,points,max,note
deadlock,t_small,2,2,
deadlock,t_one,0,3,
deadlock,explain,,1,
exits,t_small,2,2,
exits,t_one,0,3,
exits,explain,,1,
loop,t_small,0,2,
loop,t_one,3,3,
loop,explain,,1,
partial,t_small,2,2,
partial,t_one,1.5,3,
partial,explain,,1,
solved,t_small,2,2,
solved,t_one,3,3,
solved,explain,,1,
tamper,t_small,2,2,
tamper,t_one,3,3,
tamper,explain,,1,
untouched,t_small,0,2,
untouched,t_one,0,3,
untouched,explain,0,1,
wrong21,t_small,0,2,
wrong21,t_one,3,3,
wrong21,explain,,1,
`;

test("grading a class: every case graded or rejected, the batch finishes, grades.csv exact", {
  timeout: 900_000,
}, async () => {
  const run = await spindle([
    "grade",
    "--source",
    cls.source,
    ...Object.values(cls.submissions),
    "--out",
    out,
    "--timeout",
    "20",
    "--jobs",
    "2",
  ]);
  assert.equal(run.code, 1, `exit code 1 because some submissions were rejected\n${run.stdout}\n${run.stderr}`);
  assert.equal(readFileSync(join(out, "grades.csv"), "utf8"), EXPECTED_CSV, run.stdout);

  const summary = run.stdout;
  assert.match(summary, /tamper\s+5\s+6\s+edited locked: t_small/);
  assert.match(summary, /loop\s+3\s+6\s+timed out: t_small/);
  assert.match(summary, /deadlock\s+2\s+6\s+timed out: t_one/);
  assert.match(summary, /malformed: .*malformed.ipynb is not a Jupyter notebook: it is not valid JSON/);
  assert.match(summary, /python: .*not TypeScript/);
  assert.match(summary, /other: .*looks like a different assignment/);
  assert.match(run.stderr, /\[11\/11\]/, "progress reached the last submission");
  assert.deepEqual(await leftovers(run.tag), [], "a kernel, executor or pool worker outlived the run");
});

test("feedback pages show scores and messages but never hidden tests", () => {
  for (const student of ["solved", "untouched", "partial", "wrong21", "loop", "deadlock", "exits", "tamper"]) {
    const html = readFileSync(join(out, "feedback", `${student}.html`), "utf8");
    assert.ok(
      !html.includes(HIDDEN_MARK) && !html.includes("HIDDEN TESTS"),
      `${student}'s feedback leaks a hidden test`,
    );
    assert.match(html, /<h1>Feedback: source<\/h1>/);
  }
  const partial = readFileSync(join(out, "feedback", "partial.html"), "utf8");
  assert.match(partial, /score <strong>3.5 \/ 6<\/strong>/);
  assert.match(partial, /double\(1\) should be 2; half the points for the rest/);
  const wrong = readFileSync(join(out, "feedback", "wrong21.html"), "utf8");
  assert.match(wrong, /hidden test failed/);
  assert.match(
    readFileSync(join(out, "feedback", "untouched.html"), "utf8"),
    /A visible test failed: Error: not implemented yet \(line 1 of this cell\)/,
  );
  assert.match(
    readFileSync(join(out, "feedback", "tamper.html"), "utf8"),
    /Locked cell &quot;t_small&quot; was edited; it was graded with the original cell/,
  );
  assert.match(readFileSync(join(out, "feedback", "loop.html"), "utf8"), /ran past its time limit/);
  assert.ok(!existsSync(join(out, "feedback", "malformed.html")));
  // The executed notebooks are for the teacher: they keep the hidden tests that ran.
  assert.ok(readFileSync(join(out, "autograded", "solved.ipynb"), "utf8").includes(HIDDEN_MARK));
});

test("grading in shards and merging gives the single run's grades.csv", { timeout: 900_000 }, async () => {
  // Two machines, each with the same list and its own shard, at the same time.
  const subset = ["partial", "untouched", "malformed"].map((s) => cls.submissions[s]!);
  const sharded = join(cls.dir, "sharded");
  const runs = await Promise.all(
    [1, 2].map((i) =>
      spindle(["grade", "--source", cls.source, ...subset, "--out", sharded, "--shard", `${i}/2`, "--timeout", "20"]),
    ),
  );
  for (const r of runs) assert.notEqual(r.code, 2, r.stderr);
  const shardStudents = [1, 2].map((i) =>
    readFileSync(join(sharded, `grades-${i}-of-2.csv`), "utf8")
      .split("\n")
      .slice(1)
      .filter(Boolean)
      .map((l) => l.split(",")[0]),
  );
  assert.deepEqual(
    shardStudents.map((s) => [...new Set(s)]),
    [["untouched"], ["partial"]],
    "sorted: malformed (rejected), partial, untouched; round-robin",
  );
  const merged = await spindle([
    "grade",
    "--merge",
    join(sharded, "grades-2-of-2.csv"),
    join(sharded, "grades-1-of-2.csv"),
    "--out",
    join(cls.dir, "merged"),
  ]);
  assert.equal(merged.code, 0, merged.stderr);
  // The single run of these submissions is the first test's run, restricted to them (grades do not depend on classmates).
  const single =
    readFileSync(join(out, "grades.csv"), "utf8")
      .split("\n")
      .filter((l, i) => i === 0 || /^(partial|untouched),/.test(l))
      .join("\n") + "\n";
  assert.equal(readFileSync(join(cls.dir, "merged", "grades.csv"), "utf8"), single);
  assert.equal(
    single,
    "student,cell,points,max,note\npartial,t_small,2,2,\npartial,t_one,1.5,3,\npartial,explain,,1,\nuntouched,t_small,0,2,\nuntouched,t_one,0,3,\nuntouched,explain,0,1,\n",
  );
});
