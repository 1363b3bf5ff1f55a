import { test } from "node:test";
import assert from "node:assert/strict";
import { formatGradesCsv, parseGradesCsv, type GradeRow } from "../../src/grader/reports/csv";
import { mergeShards, parseShard, selectShard } from "../../src/grader/reports/shard";
import { GraderError } from "../../src/grader/errors";

const rows: GradeRow[] = [
  { student: "zoe", cell: "t1", points: 2, max: 2 },
  { student: "zoe", cell: "t2", points: 0.5, max: 1 },
  { student: 'al, "the" great', cell: "t1", points: 0, max: 2 },
  { student: 'al, "the" great', cell: "t2", points: undefined, max: 1 },
];

test("grades.csv: exact text, sorted, quoted; parses back", () => {
  const text = formatGradesCsv(rows);
  assert.equal(
    text,
    'student,cell,points,max,note\n"al, ""the"" great",t1,0,2,\n"al, ""the"" great",t2,,1,\nzoe,t1,2,2,\nzoe,t2,0.5,1,\n',
  );
  assert.deepEqual(parseGradesCsv(text, "g.csv"), [rows[2], rows[3], rows[0], rows[1]]);
  assert.equal(formatGradesCsv([{ student: "a", cell: "c", points: 0.1 + 0.2, max: 1 }]).split("\n")[1], "a,c,0.3,1,");
});

test("grades.csv: formula-like fields are defused and read back; notes travel; 4-column files still parse", () => {
  const tricky: GradeRow[] = [
    { student: '=HYPERLINK("http://x","y")', cell: "t1", points: 1, max: 1 },
    { student: "+1", cell: "t1", points: 1, max: 1 },
    { student: "-rm", cell: "t1", points: 0, max: 1, note: "killed: memory limit 1 GiB" },
    { student: "@sum", cell: "t1", points: 1, max: 1 },
    { student: "'=quoted", cell: "t1", points: 1, max: 1 },
    { student: "\tTab", cell: "t1", points: 1, max: 1 },
  ];
  const text = formatGradesCsv(tricky);
  for (const line of text.split("\n").slice(1, -1)) assert.match(line, /^("?)'/, `defused: ${line}`);
  assert.match(text, /^'-rm,t1,0,1,killed: memory limit 1 GiB$/m);
  assert.deepEqual(
    new Set(parseGradesCsv(text, "g.csv").map((r) => JSON.stringify(r))),
    new Set(tricky.map((r) => JSON.stringify(r))),
  );
  assert.deepEqual(parseGradesCsv("student,cell,points,max\na,t,1,2\n", "old.csv"), [
    { student: "a", cell: "t", points: 1, max: 2 },
  ]);
});

test("shards partition the class and merge back to the single-run file", () => {
  const students = ["e", "b", "a", "d", "c"];
  const shards = [1, 2, 3].map((i) => selectShard(students, parseShard(`${i}/3`), (s) => s));
  assert.deepEqual(shards, [["a", "d"], ["b", "e"], ["c"]]);
  const all: GradeRow[] = students.flatMap((s) => [
    { student: s, cell: "t1", points: 1, max: 1 },
    { student: s, cell: "t0", points: 0, max: 2 },
  ]);
  const single = formatGradesCsv(all);
  const csvs = shards.map((list, i) => ({
    where: `s${i}.csv`,
    rows: parseGradesCsv(formatGradesCsv(all.filter((r) => list.includes(r.student))), "x"),
  }));
  assert.equal(formatGradesCsv(mergeShards(csvs.reverse())), single);
});

test("bad shard specs and inconsistent CSVs are clear errors", () => {
  for (const bad of ["0/2", "3/2", "x", "1/0"])
    assert.throws(
      () => parseShard(bad),
      (e: unknown) => e instanceof GraderError && e.code === "ERR_GRADER_USAGE",
    );
  assert.throws(() => parseGradesCsv("name,score\n", "old.csv"), /old.csv is not a grades.csv/);
  assert.throws(() => parseGradesCsv("student,cell,points,max\na,t,x,1\n", "g.csv"), /line 2/);
  const a = { where: "a.csv", rows: [{ student: "s", cell: "t", points: 1, max: 1 }] };
  const b = { where: "b.csv", rows: [{ student: "s", cell: "t", points: 1, max: 1 }] };
  assert.throws(() => mergeShards([a, b]), /appears in both a.csv and b.csv/);
  const c = { where: "c.csv", rows: [{ student: "u", cell: "t", points: 1, max: 5 }] };
  assert.throws(() => mergeShards([a, c]), /different assignments/);
});
