/**
 * One submission as a self-contained job (plain data in, plain data out), so
 * it can run in a worker process of Spindle's own `Pool`: the worker loads
 * this module, rebuilds the assignment from the source file and grades.
 */
import { resolve } from "node:path";
import { gradeSubmission } from "../scoring/grade-submission";
import { createKernelRunner } from "./kernel-runner";
import { readNotebook } from "../format/notebook-input";
import { buildAssignment } from "../format/release";
import type { SubmissionResult } from "../reports/results";
import type { NotebookRunner, RunLimits } from "./runner";
import { createSandboxRunner, type SandboxRunnerOptions } from "./sandbox-runner";

/** What a worker needs to grade one submission. */
export interface GradeJob {
  sourcePath: string;
  path: string;
  student: string;
  limits: RunLimits;
  /** Grade in a sandbox with these options (the default runner only). */
  sandbox?: SandboxRunnerOptions;
}

/** Grades one job; an unexpected failure (a kernel that cannot start) becomes an "error" result, never a throw. */
export async function runGradeJob(
  job: GradeJob,
  runner: NotebookRunner = defaultRunner(job),
): Promise<SubmissionResult> {
  const started = performance.now();
  const attempt = async (): Promise<SubmissionResult> => {
    const assignment = buildAssignment(readNotebook(job.sourcePath), job.sourcePath);
    return gradeSubmission(assignment, job.path, job.student, { runner, limits: job.limits });
  };
  try {
    try {
      return await attempt();
    } catch {
      // The grader's own failure (a kernel that would not start): one more try with a fresh kernel.
      return await attempt();
    }
  } catch (err) {
    return {
      student: job.student,
      path: job.path,
      status: "error",
      cells: [],
      changes: [],
      total: 0,
      max: 0,
      error: `grading failed: ${err instanceof Error ? err.message : String(err)}`,
      seconds: (performance.now() - started) / 1000,
    };
  }
}

function defaultRunner(job: GradeJob): NotebookRunner {
  if (!job.sandbox) return createKernelRunner();
  // The submission's own folder may be copied into its sandbox; every other submission never is.
  const own = resolve(job.path);
  return createSandboxRunner({ ...job.sandbox, exclude: job.sandbox.exclude.filter((p) => p !== own) });
}

/** The function shipped to Pool workers: loads this module there and runs the job. */
export async function gradeInWorker(task: { modulePath: string; job: GradeJob }): Promise<SubmissionResult> {
  const mod = require(task.modulePath) as { runGradeJob(job: GradeJob): Promise<SubmissionResult> };
  return mod.runGradeJob(task.job);
}

/** This module's compiled path, for workers to load. */
export const GRADE_JOB_MODULE = __filename;
