/**
 * The sample course on disk (nbgrader's layout) and the two commands a teacher runs over it.
 *
 * An edition is a course folder: `notebooks/assignments/` (English) and `notebooks/assignments/zh/`
 * (Chinese), each with `source/<assignment>/<notebook>.ipynb` and `release/<assignment>/<notebook>.ipynb`.
 * `releaseNotebook` and `gradeSubmissions` run the real `spindle` command line one notebook at a time;
 * when the command line takes the course layout (`spindle release source/ --out release/`,
 * `spindle grade --source source/<a>/<nb>.ipynb submitted/*\/<a>/*.ipynb`), only this file changes.
 */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseGradesCsv, type GradeRow } from "../../../src/grader/reports/csv";
import { readNotebook, serializeNotebook, type Notebook } from "../../../src/nbformat";
import { spindle } from "./cli";

/** The course folders: one per language edition. */
export const COURSE = join(__dirname, "..", "..", "..", "..", "notebooks", "assignments");
export const EDITIONS = [
  { lang: "en", root: COURSE },
  { lang: "zh", root: join(COURSE, "zh") },
] as const;

/** One notebook of one assignment in one edition. */
export interface CourseNotebook {
  lang: string;
  assignment: string;
  notebook: string;
  source: string;
  release: string;
}

/** Every notebook under `root/source/<assignment>/`, sorted by assignment then notebook. */
export function courseNotebooks(lang: string, root: string): CourseNotebook[] {
  const found: CourseNotebook[] = [];
  for (const assignment of readdirSync(join(root, "source")).sort()) {
    for (const notebook of readdirSync(join(root, "source", assignment))
      .filter((f) => f.endsWith(".ipynb"))
      .sort()) {
      found.push({
        lang,
        assignment,
        notebook,
        source: join(root, "source", assignment, notebook),
        release: join(root, "release", assignment, notebook),
      });
    }
  }
  return found;
}

/** Releases one source notebook into `outRoot/<assignment>/`; returns the student version's path. */
export async function releaseNotebook(nb: CourseNotebook, outRoot: string): Promise<string> {
  const out = join(outRoot, nb.assignment);
  const run = await spindle(["release", nb.source, "--out", out], 120);
  if (run.code !== 0)
    throw new Error(`spindle release ${nb.source} failed (${run.code}):\n${run.stdout}\n${run.stderr}`);
  return join(out, nb.notebook);
}

/** What one `spindle grade` run produced. */
export interface Graded {
  /** grades.csv, by student then cell id: the points (undefined for a cell graded by hand). */
  scores: Map<string, Map<string, number | undefined>>;
  rows: GradeRow[];
  /** Each student's feedback page. */
  feedback: Map<string, string>;
  /** Each student's executed notebook (hidden tests included: teacher only). */
  autograded: Map<string, Notebook>;
  stdout: string;
  seconds: number;
}

/**
 * Grades the submissions of several students in one `spindle grade` run (`--jobs 2`), laid out as
 * nbgrader's `submitted/<student>/<assignment>/<notebook>.ipynb`, so students are named after their folder.
 */
export async function gradeSubmissions(
  nb: CourseNotebook,
  submissions: Map<string, Notebook>,
  workDir: string,
): Promise<Graded> {
  const paths: string[] = [];
  for (const [student, notebook] of submissions) {
    const dir = join(workDir, "submitted", student, nb.assignment);
    mkdirSync(dir, { recursive: true });
    const path = join(dir, nb.notebook);
    writeFileSync(path, serializeNotebook(notebook));
    paths.push(path);
  }
  const out = join(workDir, "graded");
  const started = Date.now();
  const run = await spindle(
    ["grade", "--source", nb.source, ...paths, "--out", out, "--jobs", "2", "--timeout", "120"],
    1500,
  );
  const seconds = (Date.now() - started) / 1000;
  if (run.code !== 0) throw new Error(`spindle grade ${nb.source} failed (${run.code}):\n${run.stdout}\n${run.stderr}`);
  const rows = parseGradesCsv(readFileSync(join(out, "grades.csv"), "utf8"), "grades.csv");
  const scores = new Map<string, Map<string, number | undefined>>();
  for (const row of rows) {
    if (!scores.has(row.student)) scores.set(row.student, new Map());
    scores.get(row.student)?.set(row.cell, row.points ?? undefined);
  }
  const feedback = new Map<string, string>();
  const autograded = new Map<string, Notebook>();
  for (const student of submissions.keys()) {
    feedback.set(student, readFileSync(join(out, "feedback", `${student}.html`), "utf8"));
    autograded.set(student, readNotebook(join(out, "autograded", `${student}.ipynb`)));
  }
  return { scores, rows, feedback, autograded, stdout: run.stdout, seconds };
}
