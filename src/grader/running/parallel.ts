/**
 * How submissions are spread over the machine. By default each submission is
 * a job in Spindle's own process `Pool` (one worker per CPU available); each
 * worker drives a fresh kernel. With a custom runner (tests, other kernels)
 * jobs run in this process with bounded concurrency instead.
 */
import { GRADE_JOB_MODULE, gradeInWorker, runGradeJob, type GradeJob } from "./grade-job";
import type { SubmissionResult } from "../reports/results";
import type { NotebookRunner } from "./runner";

/** Runs grading jobs, at most `limit` at once, calling `onDone` as each finishes; results keep the jobs' order. */
export type GradeScheduler = (
  jobs: GradeJob[],
  limit: number,
  onStart: (job: GradeJob) => void,
  onDone: (r: SubmissionResult) => void,
) => Promise<SubmissionResult[]>;

/** Jobs on a Spindle Pool of `limit` worker processes. */
export const poolScheduler: GradeScheduler = async (jobs, limit, _onStart, onDone) => {
  const byPath = new Map<string, SubmissionResult>();
  if (jobs.length === 0) return [];
  // Loaded on use: `spindle grade --merge` and local runs never start processes.
  const { Pool } = await import("../../concurrency/multiprocessing");
  const pool = new Pool(Math.min(limit, jobs.length));
  try {
    const tasks = jobs.map((job) => ({ modulePath: GRADE_JOB_MODULE, job }));
    for await (const result of pool.imapUnordered(gradeInWorker, tasks)) {
      byPath.set(result.path, result);
      onDone(result);
    }
  } finally {
    await pool.terminate();
  }
  return jobs.map((j) => byPath.get(j.path)!);
};

/** Jobs in this process with `runner`, at most `limit` at once. */
export function localScheduler(runner: NotebookRunner): GradeScheduler {
  return async (jobs, limit, onStart, onDone) => {
    const results = new Array<SubmissionResult>(jobs.length);
    let next = 0;
    const worker = async (): Promise<void> => {
      for (let i = next++; i < jobs.length; i = next++) {
        const job = jobs[i] as GradeJob;
        onStart(job);
        const result = await runGradeJob(job, runner);
        results[i] = result;
        onDone(result);
      }
    };
    await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, jobs.length)) }, worker));
    return results;
  };
}
