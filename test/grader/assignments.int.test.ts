/**
 * The sample course in notebooks/assignments (English) and notebooks/assignments/zh (Chinese), in
 * nbgrader's layout. For every assignment and edition: the committed student version is exactly what
 * `spindle release` makes of the source and holds no hidden test; one `spindle grade` run grades the
 * untouched release (0 on every autograded cell), the model solutions (every point, a timing cell
 * only has to run to a score) and a typical wrong answer (the partial score the author intends),
 * and no feedback page shows hidden-test text.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { readNotebook, type Cell, type Notebook } from "../../src/nbformat";
import { COURSE, EDITIONS, courseNotebooks, gradeSubmissions, releaseNotebook } from "./helpers/course";
import { BANK_NO_LOCK, WRONG_ANSWERS } from "./helpers/wrong-answers";

const books = EDITIONS.flatMap((e) => courseNotebooks(e.lang, e.root));
const english = books.filter((b) => b.lang === "en");

const gradeId = (c: Cell) => c.metadata.nbgrader?.grade_id;
const isTest = (c: Cell) => c.cell_type === "code" && c.metadata.nbgrader?.grade === true;
const isWritten = (c: Cell) =>
  c.cell_type === "markdown" && c.metadata.nbgrader?.grade === true && c.metadata.nbgrader?.solution === true;
const measuresTime = (c: Cell) =>
  (c.metadata.spindle as { measures_time?: boolean } | undefined)?.measures_time === true;
const HIDDEN = /^[^\n]*BEGIN HIDDEN TESTS[^\n]*\n([\s\S]*?)^[^\n]*END HIDDEN TESTS[^\n]*$/gm;

/** Lines of hidden tests long enough to be telling and found nowhere else in the source. */
function hiddenLines(source: Notebook): string[] {
  const hidden: string[] = [];
  const elsewhere: string[] = [];
  for (const cell of source.cells) {
    elsewhere.push(cell.source.replace(HIDDEN, ""));
    for (const m of cell.source.matchAll(HIDDEN)) hidden.push(...(m[1] ?? "").split("\n").map((l) => l.trim()));
  }
  const visible = elsewhere.join("\n");
  return [...new Set(hidden)].filter((l) => l.length >= 15 && !visible.includes(l));
}

const escapeHtml = (s: string) =>
  s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

function assertNoHidden(text: string, lines: string[], where: string): void {
  for (const line of lines) {
    assert.ok(!text.includes(line) && !text.includes(escapeHtml(line)), `${where} shows hidden-test text: ${line}`);
  }
}

/** The student version with its answer cell replaced by `answer`. */
function answered(release: Notebook, answer: string): Notebook {
  const nb = structuredClone(release);
  const cell = nb.cells.find((c) => gradeId(c) === "answer");
  assert.ok(cell, "the release has an answer cell");
  cell.source = answer;
  return nb;
}

test("the course: at least 12 assignments, each in English and Chinese, each with a typical wrong answer", () => {
  const en = english.map((b) => b.assignment);
  const zh = books.filter((b) => b.lang === "zh").map((b) => b.assignment);
  assert.ok(en.length >= 12, `found ${en.join(", ")}`);
  assert.deepEqual(zh, en, "the Chinese edition has the same assignments");
  assert.deepEqual(Object.keys(WRONG_ANSWERS).sort(), [...new Set(en)].sort(), "a wrong answer for every assignment");
});

for (const book of english) {
  test(`${book.assignment}: the Chinese edition has the same cells, grade ids, points and flags`, () => {
    const shape = (nb: Notebook) => nb.cells.map((c) => JSON.stringify([c.cell_type, c.metadata]));
    const zh = join(COURSE, "zh", "source", book.assignment, book.notebook);
    const [en, cn] = [readNotebook(book.source), readNotebook(zh)];
    assert.deepEqual(shape(cn), shape(en));
    assert.deepEqual(cn.metadata, en.metadata);
    // Only prose is translated: code cells agree once comments and string texts are set aside.
    const code = (nb: Notebook) =>
      nb.cells
        .filter((c) => c.cell_type === "code")
        .map((c) =>
          c.source
            .replace(/\/\/.*$/gm, "")
            .replace(/`[^`]*`/g, "``")
            .replace(/"(?:[^"\\\n]|\\.)*"/g, '""')
            .replace(/\s+/g, " "),
        );
    assert.deepEqual(code(cn), code(en));
  });
}

for (const book of books) {
  const name = `${book.lang}/${book.assignment}`;

  test(`${name}: instructions, an answer, visible and hidden tests with points, a written answer with a model answer`, () => {
    const nb = readNotebook(book.source);
    assert.equal(nb.cells[0]?.cell_type, "markdown", "starts with the instructions");
    assert.ok(
      nb.cells.some((c) => gradeId(c) === "answer" && c.metadata.nbgrader?.solution === true),
      "an answer cell",
    );
    const tests = nb.cells.filter(isTest);
    assert.ok(tests.length >= 2, "two or more test cells");
    for (const t of tests) {
      assert.ok((t.metadata.nbgrader?.points ?? 0) > 0, `${gradeId(t)} has points`);
      assert.ok(t.source.replace(HIDDEN, "").trim().length > 0, `${gradeId(t)} has visible tests`);
    }
    assert.ok(
      tests.some((t) => t.source.includes("BEGIN HIDDEN TESTS")),
      "hidden tests",
    );
    const written = nb.cells.filter(isWritten);
    assert.ok(written.length >= 1, "a written answer graded by hand");
    for (const w of written)
      assert.ok(
        w.source.trim().length > 80 && !w.source.includes("YOUR ANSWER HERE"),
        `${gradeId(w)} has a model answer`,
      );
    for (const c of nb.cells.filter(measuresTime)) {
      const before = nb.cells[nb.cells.indexOf(c) - 1];
      assert.match(
        before?.source ?? "",
        /timing|计时/,
        `${gradeId(c)} measures time: its heading says so, and explains the tolerance`,
      );
    }
  });

  test(`${name}: release/ is what spindle release makes of source/, and shows no hidden test`, {
    timeout: 300_000,
  }, async () => {
    const tmp = mkdtempSync(join(tmpdir(), "spindle-course-"));
    try {
      const made = await releaseNotebook(book, tmp);
      const committed = readFileSync(book.release, "utf8");
      assert.equal(
        committed,
        readFileSync(made, "utf8"),
        `run: spindle release ${book.source} --out ${join(book.release, "..")}`,
      );
      const hidden = hiddenLines(readNotebook(book.source));
      assert.ok(hidden.length > 0, "the hidden tests have lines of their own to look for");
      assertNoHidden(committed, hidden, `release of ${name}`);
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  });

  test(`${name}: the stub scores 0, the model solutions every point, the typical wrong answer its partial score`, {
    timeout: 1_500_000,
  }, async () => {
    const tmp = mkdtempSync(join(tmpdir(), "spindle-course-"));
    try {
      const source = readNotebook(book.source);
      const release = readNotebook(book.release);
      const wrong = WRONG_ANSWERS[book.assignment];
      assert.ok(wrong, `a wrong answer for ${book.assignment}`);
      const submissions = new Map<string, Notebook>([
        ["model", source],
        ["stub", release],
        ["wrong", answered(release, wrong.answer)],
      ]);
      if (book.assignment === "bank-account" && book.lang === "en")
        submissions.set("nolock", answered(release, BANK_NO_LOCK.answer));
      const graded = await gradeSubmissions(book, submissions, tmp);
      console.log(`# ${name}: ${submissions.size} submissions graded in ${graded.seconds.toFixed(1)} s`);
      const score = (student: string, id: string) => graded.scores.get(student)?.get(id);
      const ran = (student: string, id: string) => graded.autograded.get(student)?.cells.find((c) => gradeId(c) === id);

      for (const cell of source.cells.filter((c) => c.metadata.nbgrader?.grade === true)) {
        const id = gradeId(cell) ?? "";
        const max = cell.metadata.nbgrader?.points ?? 0;
        const outputs = JSON.stringify(ran("model", id)?.outputs ?? []);
        if (isWritten(cell)) {
          assert.equal(score("model", id), undefined, `model: ${id} is left for the teacher`);
        } else if (measuresTime(cell)) {
          // Measured speed depends on the machine's load: here the cell must run to a score.
          assert.equal(typeof score("model", id), "number", `model: ${id} ran to a score`);
          assert.match(outputs, /spindle\.points/, `model: ${id} gave its points()`);
        } else {
          assert.equal(score("model", id), max, `model: ${id} scored ${score("model", id)}/${max}\n${outputs}`);
        }
        assert.equal(score("stub", id), 0, `stub: ${id}`);
        if (isTest(cell) && !measuresTime(cell)) {
          assert.equal(
            score("wrong", id),
            wrong.expect[id],
            `wrong answer (${wrong.mistake}): ${id}\n${JSON.stringify(ran("wrong", id)?.outputs ?? [])}`,
          );
        }
      }
      for (const id of Object.keys(wrong.expect))
        assert.ok(
          source.cells.some((c) => gradeId(c) === id && isTest(c) && !measuresTime(c)),
          `expected score for ${id}, which is not an untimed test cell`,
        );
      if (submissions.has("nolock")) {
        for (const [id, points] of Object.entries(BANK_NO_LOCK.expect))
          assert.equal(score("nolock", id), points, `an answer without the lock: ${id}`);
      }
      const hidden = hiddenLines(source);
      for (const [student, page] of graded.feedback) assertNoHidden(page, hidden, `${name} feedback for ${student}`);
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  });
}
