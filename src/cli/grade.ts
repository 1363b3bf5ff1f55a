/**
 * `spindle grade --source SOURCE.ipynb SUBMISSION.ipynb... --out DIR` and
 * `spindle grade --merge GRADES.csv... --out DIR`.
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs, secondsOption, UsageError, type ParsedArgs } from "./args";
import { runCommand } from "./command-shell";
import { cpuCount } from "../runtime/resources";
import { formatGradesCsv, parseGradesCsv } from "../grader/reports/csv";
import { GraderError } from "../grader/errors";
import { gradeBatch } from "../grader/grade-batch";
import type { NotebookRunner } from "../grader/running/runner";
import { mergeShards, parseShard } from "../grader/reports/shard";
import { summaryTable } from "../grader/reports/summary";
import { DEFAULT_CAPS, formatSize, parseCount, parseSize, type Caps } from "../sandbox/caps";
import { describeIsolation, type IsolationRequest, resolveIsolation } from "../sandbox/detect";
import { SandboxError } from "../sandbox/errors";

/** Usage text of `spindle grade`. */
export const GRADE_USAGE = `Usage:
  spindle grade --source SOURCE.ipynb SUBMISSION.ipynb... --out DIR
                [--timeout SECONDS] [--notebook-timeout SECONDS] [--jobs N] [--shard I/N]
                [--isolation auto|strict|namespaces|permission|none] [--resume]
                [--memory SIZE] [--cpus N] [--pids N] [--disk SIZE] [--output SIZE]
  spindle grade --merge GRADES.csv... --out DIR

Grades each submission in a fresh kernel, with SOURCE's locked cells and hidden
tests put back. Writes DIR/grades.csv (student,cell,points,max), a feedback page
per student in DIR/feedback/ and the executed notebooks (hidden tests included,
for the teacher only) in DIR/autograded/, then prints a summary table.

  --timeout S           per-cell limit, seconds (default 60); a cell past it scores 0
  --notebook-timeout S  per-submission limit, seconds (default 600)
  --jobs N              submissions graded at once (default: CPUs available, CPU_LIMIT honoured)
  --shard I/N           grade only shard I of N (students sorted by name); writes grades-I-of-N.csv
  --merge               join shard CSVs into DIR/grades.csv
  --isolation LEVEL     auto (default: namespaces if this machine allows them, else permission),
                        strict (namespaces or refuse), namespaces, permission, none (trusted notebooks only)
  --resume              keep the results already in DIR, grade only the submissions missing there
  --memory SIZE         memory of one submission's processes together (default ${formatSize(DEFAULT_CAPS.memory)})
  --cpus N              CPUs of one submission (default ${DEFAULT_CAPS.cpus})
  --pids N              processes and threads of one submission (default ${DEFAULT_CAPS.pids})
  --disk SIZE           bytes written in its working folder and /tmp (default ${formatSize(DEFAULT_CAPS.disk)})
  --output SIZE         cell output kept per submission (default ${formatSize(DEFAULT_CAPS.output)})
  A submission that passes a cap is stopped and scores 0, with the reason in grades.csv.

Exit code: 0 when every submission was graded, 1 when any was rejected, 2 on usage errors.
`;

/** Runs `spindle grade`; `runner` replaces the kernel runner (tests). Returns the exit code. */
export function gradeCommand(argv: string[], runner?: NotebookRunner): Promise<number> {
  return runCommand("grade", GRADE_USAGE, argv, async (out) => {
    const args = parseArgs(argv, {
      valued: [
        "source",
        "out",
        "timeout",
        "notebook-timeout",
        "jobs",
        "shard",
        "isolation",
        "memory",
        "cpus",
        "pids",
        "disk",
        "output",
      ],
      flags: ["merge", "resume"],
    });
    const outDir = args.options.get("out");
    if (!outDir) throw new UsageError("--out DIR is required");
    if (args.flags.has("merge")) return merge(args.positionals, outDir, out);
    const sourcePath = args.options.get("source");
    if (!sourcePath)
      throw new UsageError(
        "--source SOURCE.ipynb is required (the teacher's notebook with solutions and hidden tests)",
      );
    if (args.positionals.length === 0) throw new UsageError("give at least one SUBMISSION.ipynb");
    const jobsRaw = args.options.get("jobs");
    const jobs = jobsRaw === undefined ? cpuCount() : Number(jobsRaw);
    if (!Number.isInteger(jobs) || jobs < 1) throw new UsageError(`--jobs takes a whole number ≥ 1 (got "${jobsRaw}")`);
    const limits = {
      cellTimeout: secondsOption(args, "timeout", 60),
      notebookTimeout: secondsOption(args, "notebook-timeout", 600),
    };
    const shardRaw = args.options.get("shard");
    const caps = capsOf(args);
    const level = runner ? undefined : isolationOf(args);
    out.write(level ? `${describeIsolation(level)}\n` : "isolation: none (a custom runner)\n");
    const batch = await gradeBatch({
      sourcePath,
      submissions: args.positionals,
      outDir,
      limits,
      jobs,
      runner,
      shard: shardRaw === undefined ? undefined : parseShard(shardRaw),
      isolation: level === undefined || level === "none" ? undefined : { level, caps },
      resume: args.flags.has("resume"),
    });
    if (batch.resumed > 0) out.write(`Kept ${batch.resumed} result(s) from the earlier run (--resume).\n`);
    out.write(summaryTable(batch.results));
    out.write(`\nWrote ${batch.csvPath}, feedback in ${join(outDir, "feedback")} (${batch.jobs} at a time).\n`);
    return batch.results.some((r) => r.status !== "graded") ? 1 : 0;
  });
}

function isolationOf(args: ParsedArgs) {
  try {
    return resolveIsolation((args.options.get("isolation") ?? "auto") as IsolationRequest);
  } catch (err) {
    if (err instanceof SandboxError) throw new UsageError(err.message.replace(/\.$/, ""));
    throw err;
  }
}

function capsOf(args: ParsedArgs): Caps {
  try {
    const size = (name: "memory" | "disk" | "output") => {
      const raw = args.options.get(name);
      return raw === undefined ? DEFAULT_CAPS[name] : parseSize(raw, `--${name}`);
    };
    const cpus = args.options.get("cpus");
    const pids = args.options.get("pids");
    return {
      memory: size("memory"),
      disk: size("disk"),
      output: size("output"),
      cpus: cpus === undefined ? DEFAULT_CAPS.cpus : parseCount(cpus, "--cpus", false),
      pids: pids === undefined ? DEFAULT_CAPS.pids : parseCount(pids, "--pids", true),
    };
  } catch (err) {
    if (err instanceof SandboxError) throw new UsageError(err.message.replace(/\.$/, ""));
    throw err;
  }
}

async function merge(files: string[], outDir: string, out: NodeJS.WriteStream): Promise<number> {
  if (files.length === 0) throw new UsageError("--merge needs the shard CSV files to join");
  const shards = files.map((where) => {
    let text: string;
    try {
      text = readFileSync(where, "utf8");
    } catch (err) {
      throw new GraderError(`Cannot read ${where}: ${(err as Error).message}.`, "ERR_GRADER_BAD_CSV", { cause: err });
    }
    return { where, rows: parseGradesCsv(text, where) };
  });
  const rows = mergeShards(shards);
  mkdirSync(outDir, { recursive: true });
  const target = join(outDir, "grades.csv");
  writeFileSync(target, formatGradesCsv(rows));
  out.write(`Merged ${files.length} file(s), ${new Set(rows.map((r) => r.student)).size} student(s) → ${target}\n`);
  return 0;
}
