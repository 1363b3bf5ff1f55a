/**
 * A grading run over a class: build the assignment once, name the students,
 * keep this machine's shard, grade submissions in parallel, then write
 * grades.csv, one feedback page per student and the executed notebooks.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { basename, extname, join } from "node:path";
import { formatGradesCsv, formatNumber } from "./reports/csv";
import { feedbackHtml } from "./reports/feedback-html";
import { serializeNotebook } from "../nbformat";
import { readNotebook } from "./format/notebook-input";
import { localScheduler, poolScheduler, type GradeScheduler } from "./running/parallel";
import { Progress } from "./reports/progress";
import { buildAssignment } from "./format/release";
import { rowsOf, type SubmissionResult } from "./reports/results";
import type { NotebookRunner, RunLimits } from "./running/runner";
import { selectShard, type Shard } from "./reports/shard";
import { studentNames } from "./students";

/** Everything a grading run needs. */
export interface BatchOptions {
  sourcePath: string;
  submissions: string[];
  outDir: string;
  /** Runs notebooks in this process instead of in a Pool of Spindle kernels (tests, other kernels). */
  runner?: NotebookRunner;
  limits: RunLimits;
  /** Submissions graded at once. */
  jobs: number;
  shard?: Shard;
  /** Replaces the default scheduling (a Pool, or local jobs when `runner` is given). */
  scheduler?: GradeScheduler;
  /** Where progress goes (stderr by default); null for none. */
  progress?: NodeJS.WriteStream | null;
}

/** What a run wrote and found. */
export interface BatchResult {
  results: SubmissionResult[];
  csvPath: string;
  /** Submissions graded at once (1 when the assignment asks for the CPU to itself). */
  jobs: number;
}

/** Grades a batch of submissions; only input errors of the source (or arguments) throw. */
export async function gradeBatch(options: BatchOptions): Promise<BatchResult> {
  const assignment = buildAssignment(readNotebook(options.sourcePath), options.sourcePath);
  const names = studentNames(options.submissions);
  let work = options.submissions.map((path, i) => ({ path, student: names[i] ?? path }));
  if (options.shard) work = selectShard(work, options.shard, (w) => w.student);
  // An assignment that measures speed (metadata.spindle.exclusive_cpu) must not share the CPU with other gradings.
  const exclusive = (assignment.gradable.metadata.spindle as { exclusive_cpu?: unknown } | undefined)?.exclusive_cpu === true;
  const jobs = exclusive ? 1 : Math.max(1, Math.min(options.jobs, work.length));
  const progress = options.progress === null ? undefined : new Progress(work.length, options.progress ?? process.stderr);
  const schedule = options.scheduler ?? (options.runner ? localScheduler(options.runner) : poolScheduler);
  const gradeJobs = work.map(({ path, student }) => ({ sourcePath: options.sourcePath, path, student, limits: options.limits }));
  const results = await schedule(gradeJobs, jobs, (job) => progress?.start(job.student), (result) => {
    const text = result.status === "graded" ? `${formatNumber(result.total)}/${formatNumber(result.max)}` : `${result.status}: ${result.error}`;
    progress?.finish(result.student, text, result.status !== "graded");
  });
  progress?.end();
  const name = basename(options.sourcePath, extname(options.sourcePath));
  mkdirSync(join(options.outDir, "feedback"), { recursive: true });
  mkdirSync(join(options.outDir, "autograded"), { recursive: true });
  for (const r of results) {
    if (r.status !== "graded") continue;
    writeFileSync(join(options.outDir, "feedback", `${safeName(r.student)}.html`), feedbackHtml(r, name));
    if (r.executed) writeFileSync(join(options.outDir, "autograded", `${safeName(r.student)}.ipynb`), serializeNotebook(r.executed));
  }
  const csvName = options.shard ? `grades-${options.shard.index}-of-${options.shard.count}.csv` : "grades.csv";
  const csvPath = join(options.outDir, csvName);
  writeFileSync(csvPath, formatGradesCsv(results.flatMap(rowsOf)));
  return { results, csvPath, jobs };
}

/** A student name usable as a file name. */
export function safeName(student: string): string {
  return student.replace(/[^A-Za-z0-9._-]+/g, "_");
}
