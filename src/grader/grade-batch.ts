/**
 * A grading run over a class: build the assignment once, name the students,
 * keep this machine's shard, grade submissions in parallel, then write
 * grades.csv, one feedback page per student and the executed notebooks.
 */
import { mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import { basename, extname, join, resolve } from "node:path";
import { formatGradesCsv, formatNumber } from "./reports/csv";
import { feedbackHtml } from "./reports/feedback-html";
import { serializeNotebook } from "../nbformat";
import { readNotebook } from "./format/notebook-input";
import { localScheduler, poolScheduler, type GradeScheduler } from "./running/parallel";
import { Progress } from "./reports/progress";
import { buildAssignment } from "./format/release";
import { rowsOf, type SubmissionResult } from "./reports/results";
import type { NotebookRunner, RunLimits } from "./running/runner";
import { fileNameOf, submissionsFolder, unsafeSubmission } from "./safe-paths";
import type { SandboxRunnerOptions } from "./running/sandbox-runner";
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
  /** Grade each submission in a sandbox (level and caps); without it, kernels run with the grader's rights. */
  isolation?: Omit<SandboxRunnerOptions, "exclude">;
  /** Keep the results already in outDir (from an interrupted run) and grade only the missing submissions. */
  resume?: boolean;
}

/** What a run wrote and found. */
export interface BatchResult {
  results: SubmissionResult[];
  csvPath: string;
  /** Submissions graded at once (1 when the assignment asks for the CPU to itself). */
  jobs: number;
  /** Students whose results were kept from an earlier run (--resume). */
  resumed: number;
}

/** Grades a batch of submissions; only input errors of the source (or arguments) throw. */
export async function gradeBatch(options: BatchOptions): Promise<BatchResult> {
  const assignment = buildAssignment(readNotebook(options.sourcePath), options.sourcePath);
  const names = studentNames(options.submissions);
  let work = options.submissions.map((path, i) => ({ path, student: names[i] ?? path }));
  if (options.shard) work = selectShard(work, options.shard, (w) => w.student);
  // An assignment that measures speed (metadata.spindle.exclusive_cpu) must not share the CPU with other gradings.
  const exclusive =
    (assignment.gradable.metadata.spindle as { exclusive_cpu?: unknown } | undefined)?.exclusive_cpu === true;
  const jobs = exclusive ? 1 : Math.max(1, Math.min(options.jobs, work.length));
  const recordDir = join(options.outDir, ".results");
  for (const dir of [recordDir, join(options.outDir, "feedback"), join(options.outDir, "autograded")])
    mkdirSync(dir, { recursive: true });
  const kept = options.resume ? readRecords(recordDir) : new Map<string, SubmissionResult>();
  const done: SubmissionResult[] = [];
  work = work.filter(({ path, student }) => {
    const record = kept.get(resolve(path));
    if (record) done.push({ ...record, student });
    return !record;
  });
  const resumed = done.length;
  // Untrusted file names: a symlink leading outside the submissions folder is never followed.
  const folder = submissionsFolder(options.submissions);
  work = work.filter(({ path, student }) => {
    const why = unsafeSubmission(path, folder);
    if (why !== undefined)
      done.push({
        student,
        path,
        status: "rejected",
        error: `${path}: ${why}.`,
        cells: [],
        changes: [],
        total: 0,
        max: 0,
        seconds: 0,
      });
    return why === undefined;
  });
  const name = basename(options.sourcePath, extname(options.sourcePath));
  const progress =
    options.progress === null ? undefined : new Progress(work.length, options.progress ?? process.stderr);
  const schedule = options.scheduler ?? (options.runner ? localScheduler(options.runner) : poolScheduler);
  // An assignment that has the CPU to itself gets all of it inside its sandbox too.
  const caps =
    options.isolation && exclusive
      ? { ...options.isolation.caps, cpus: Math.max(options.isolation.caps.cpus, availableParallelism()) }
      : options.isolation?.caps;
  const sandbox =
    options.isolation && caps && !options.runner
      ? {
          ...options.isolation,
          caps,
          exclude: [options.sourcePath, options.outDir, ...options.submissions].map((p) => resolve(p)),
        }
      : undefined;
  const gradeJobs = work.map(({ path, student }) => ({
    sourcePath: options.sourcePath,
    path,
    student,
    limits: options.limits,
    sandbox,
  }));
  const fresh = await schedule(
    gradeJobs,
    jobs,
    (job) => progress?.start(job.student),
    (result) => {
      // Written as each submission finishes, atomically: a grader killed mid-batch loses nothing already graded.
      writeResult(options.outDir, recordDir, result, name);
      const text =
        result.status === "graded"
          ? `${formatNumber(result.total)}/${formatNumber(result.max)}`
          : `${result.status}: ${result.error}`;
      progress?.finish(result.student, text, result.status !== "graded");
    },
  );
  progress?.end();
  const results = [...done, ...fresh];
  const csvName = options.shard ? `grades-${options.shard.index}-of-${options.shard.count}.csv` : "grades.csv";
  const csvPath = join(options.outDir, csvName);
  writeAtomic(csvPath, formatGradesCsv(results.flatMap(rowsOf)));
  return { results, csvPath, jobs, resumed };
}

function writeResult(outDir: string, recordDir: string, r: SubmissionResult, assignment: string): void {
  const file = fileNameOf(r.student);
  if (r.status === "graded") {
    writeAtomic(join(outDir, "feedback", `${file}.html`), feedbackHtml(r, assignment));
    if (r.executed) writeAtomic(join(outDir, "autograded", `${file}.ipynb`), serializeNotebook(r.executed));
    // Only graded results are kept for --resume; a rejected or failed one is tried again.
    writeAtomic(join(recordDir, `${file}.json`), JSON.stringify({ ...r, executed: undefined }));
  }
}

/** Graded results of an earlier run, by the submission's absolute path. */
function readRecords(dir: string): Map<string, SubmissionResult> {
  const out = new Map<string, SubmissionResult>();
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return out;
  }
  for (const n of names) {
    if (!n.endsWith(".json")) continue;
    try {
      const r = JSON.parse(readFileSync(join(dir, n), "utf8")) as SubmissionResult;
      if (typeof r.path === "string" && r.status === "graded" && Array.isArray(r.cells)) out.set(resolve(r.path), r);
    } catch {
      // a damaged record: grade that student again
    }
  }
  return out;
}

/** Writes through a temporary file and a rename, so a reader never sees half a file. */
export function writeAtomic(path: string, text: string): void {
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, text);
  renameSync(tmp, path);
}

/** A student name usable as a file name. */
export function safeName(student: string): string {
  return fileNameOf(student);
}
