/**
 * Grader benchmark, side by side with Python in the same run:
 *  - nbgrader checksums: Spindle's computeChecksum vs the same formula in CPython (hashlib);
 *  - a notebook in a fresh kernel (start, warm-up, 5 small cells, shutdown): Spindle over ZeroMQ
 *    vs nbclient + ipykernel (the engine nbgrader's autograde runs notebooks with);
 *  - grading throughput: 4 submissions with --jobs 1 and with --jobs 2 (Spindle's Pool);
 *  - isolation: submissions per minute with no sandbox, bubblewrap namespaces and Node's permission
 *    model (the same batch, levels alternating, median and min–max of 5 after a warm-up), and what
 *    starting one sandbox costs (folder + bwrap/prlimit around a program that exits at once).
 */
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { computeChecksum } from "../src/grader/format/cells";
import { gradeBatch } from "../src/grader/grade-batch";
import { createKernelRunner } from "../src/grader/running/kernel-runner";
import { serializeNotebook, type Cell, type Notebook } from "../src/nbformat/notebook";
import { buildAssignment } from "../src/grader/format/release";
import { DEFAULT_CAPS } from "../src/sandbox/caps";
import { type IsolationLevel, sandboxSupport } from "../src/sandbox/detect";
import { Sandbox } from "../src/sandbox/sandbox";

const PY = "/usr/bin/python3";
const ROUNDS = Number(process.env.SPINDLE_BENCH_ROUNDS ?? 5);

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

function gradeCell(i: number): Cell {
  return {
    cell_type: "code",
    source: `assert(double(${i}) === ${2 * i});\n`.repeat(5),
    outputs: [],
    execution_count: null,
    metadata: {
      nbgrader: {
        grade: true,
        grade_id: `t${i}`,
        locked: true,
        points: 1.5,
        schema_version: 3,
        solution: false,
        task: false,
      },
    },
  };
}

/** Both sides warm up on one pass over the cells, then time a second; rounds alternate. */
function checksums(): string[] {
  const cells = Array.from({ length: 20_000 }, (_, i) => gradeCell(i));
  const script = `
import hashlib, json, sys, time
cells = json.load(sys.stdin)
def once():
    t = time.perf_counter()
    for c in cells:
        m = hashlib.md5()
        nb = c['metadata']['nbgrader']
        for part in (c['source'], c['cell_type'], str(nb['grade']), str(nb['solution']), str(True), nb['grade_id'], str(float(nb['points']))):
            m.update(part.encode('utf-8'))
        m.hexdigest()
    return (time.perf_counter() - t) * 1e6 / len(cells)
once()
print(once())`;
  const input = JSON.stringify(cells);
  const once = (): number => {
    const t = performance.now();
    for (const c of cells) computeChecksum(c);
    return ((performance.now() - t) * 1000) / cells.length;
  };
  once();
  const node: number[] = [];
  const py: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    node.push(once());
    py.push(Number(execFileSync(PY, ["-c", script], { input }).toString()));
  }
  return [`checksum of a graded cell (median of ${ROUNDS})`, `${spread(node, 2)} µs`, `${spread(py, 2)} µs`];
}

function tsNotebook(cells: string[]): Notebook {
  return {
    cells: cells.map((source) => ({ cell_type: "code", source, metadata: {}, outputs: [], execution_count: null })),
    metadata: { kernelspec: { name: "spindle", display_name: "TypeScript (Spindle)", language: "typescript" } },
    nbformat: 4,
    nbformat_minor: 5,
  };
}

async function freshKernel(dir: string): Promise<string[]> {
  const runner = createKernelRunner();
  const cells = [
    "const a = 1;",
    "function f(n: number) { return n * 2; }",
    "console.log(f(a));",
    "[1, 2, 3].map(f)",
    "f(21)",
  ];
  const spindleOnce = async (): Promise<number> => {
    const t = performance.now();
    await runner.run(tsNotebook(cells), { cellTimeout: 60, notebookTimeout: 300 }, { cwd: dir });
    return (performance.now() - t) / 1000;
  };
  const pyNb = {
    cells: ["a = 1", "def f(n):\n    return n * 2", "print(f(a))", "[f(x) for x in [1, 2, 3]]", "f(21)"].map(
      (source, i) => ({ id: `c${i}`, cell_type: "code", source, metadata: {}, outputs: [], execution_count: null }),
    ),
    metadata: { kernelspec: { name: "python3", display_name: "Python 3", language: "python" } },
    nbformat: 4,
    nbformat_minor: 5,
  };
  const pyPath = join(dir, "py.ipynb");
  writeFileSync(pyPath, JSON.stringify(pyNb));
  const script = `
import sys, time, nbformat
from nbclient import NotebookClient
nb = nbformat.read(sys.argv[1], as_version=4)
t = time.perf_counter()
NotebookClient(nb, timeout=60, kernel_name="python3", allow_errors=True).execute()
print(time.perf_counter() - t)`;
  // ipykernel's debugger warns about frozen modules on every start; that is noise here.
  const env = { ...process.env, PYDEVD_DISABLE_FILE_VALIDATION: "1" };
  const pyOnce = (): number =>
    Number(execFileSync(PY, ["-Xfrozen_modules=off", "-c", script, pyPath], { env }).toString());
  // One untimed run of each first (disk caches, the snapshot, Python's bytecode), then alternating rounds.
  await spindleOnce();
  pyOnce();
  const spindle: number[] = [];
  const py: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    spindle.push(await spindleOnce());
    py.push(pyOnce());
  }
  return [
    `fresh kernel + 5 cells (median of ${ROUNDS})`,
    `${spread(spindle, 2)} s`,
    `${spread(py, 2)} s (nbclient + ipykernel)`,
  ];
}

function spread(xs: number[], digits: number): string {
  return `${median(xs).toFixed(digits)} (${Math.min(...xs).toFixed(digits)}–${Math.max(...xs).toFixed(digits)})`;
}

/** Submissions per minute at each isolation level: the same batch, levels alternating, 5 rounds after a warm-up. */
async function isolation(dir: string, sourcePath: string, subs: string[]): Promise<string[][]> {
  const support = sandboxSupport();
  const levels: IsolationLevel[] = [
    "none",
    ...(support.namespaces.ok ? ["namespaces" as const] : []),
    ...(support.permission.ok ? ["permission" as const] : []),
  ];
  const perMinute = new Map<IsolationLevel, number[]>(levels.map((l) => [l, []]));
  // A sandbox tells its kernel CPU_LIMIT and MEM_LIMIT (fewer warm spares): without a sandbox, the same, so only
  // the isolation differs.
  const saved = { CPU_LIMIT: process.env.CPU_LIMIT, MEM_LIMIT: process.env.MEM_LIMIT };
  process.env.CPU_LIMIT = String(DEFAULT_CAPS.cpus);
  process.env.MEM_LIMIT = String(DEFAULT_CAPS.memory);
  let n = 0;
  for (let round = 0; round <= 5; round++) {
    for (const level of round % 2 === 0 ? levels : [...levels].reverse()) {
      const t = performance.now();
      await gradeBatch({
        sourcePath,
        submissions: subs,
        outDir: join(dir, `iso${n++}`),
        jobs: 2,
        limits: { cellTimeout: 60, notebookTimeout: 300 },
        progress: null,
        isolation: level === "none" ? undefined : { level, caps: DEFAULT_CAPS },
      });
      const s = (performance.now() - t) / 1000;
      if (round > 0) perMinute.get(level)!.push((subs.length / s) * 60); // round 0 warms up
    }
  }
  for (const [k, v] of Object.entries(saved)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  const base = median(perMinute.get("none")!);
  const rows = levels.map((level) => {
    const xs = perMinute.get(level)!;
    const overhead =
      level === "none"
        ? " (CPU_LIMIT=1, MEM_LIMIT=1G as in a sandbox)"
        : `, overhead ${(((base - median(xs)) / base) * 100).toFixed(0)} %`;
    return [
      `grade ${subs.length} submissions, --jobs 2, isolation ${level} (per minute)`,
      `${spread(xs, 1)}${overhead}`,
      "–",
    ];
  });
  // Starting one sandbox: its folder (made, handed to its uid, removed) and the wrapper around a program that exits at once.
  const start: Record<string, number[]> = { folder: [], wrapped: [], plain: [] };
  for (let i = 0; i < 25; i++) {
    let t = performance.now();
    const box = Sandbox.create({
      level: support.namespaces.ok ? "namespaces" : "permission",
      caps: DEFAULT_CAPS,
      notebookSeconds: 60,
    });
    start.folder!.push(performance.now() - t);
    const cmd = box.command(["/bin/true"]);
    t = performance.now();
    spawnSync(cmd.argv[0]!, cmd.argv.slice(1), { cwd: cmd.cwd, env: cmd.env, uid: cmd.uid, gid: cmd.gid });
    start.wrapped!.push(performance.now() - t);
    t = performance.now();
    spawnSync("/bin/true");
    start.plain!.push(performance.now() - t);
    box.dispose();
  }
  const wrapper = start.wrapped!.map((w, i) => w - start.plain![i]! + start.folder![i]!);
  rows.push([
    `sandbox start (${support.namespaces.ok ? "bwrap" : "permission"} + prlimit + folder), ms, 25 runs`,
    spread(wrapper, 1),
    "–",
  ]);
  return rows;
}

async function throughput(dir: string): Promise<string[][]> {
  const source = tsNotebook([
    "const factor = 2;",
    "function double(n: number): number {\n  // BEGIN SOLUTION\n  return n * factor;\n  // END SOLUTION\n}",
    "if (double(2) !== 4) throw new Error('double(2)');\n// BEGIN HIDDEN TESTS\nif (double(21) !== 42) throw new Error('21');\n// END HIDDEN TESTS",
    "double(1) === 2 ? 1 : 0",
  ]);
  const meta = (m: Record<string, unknown>) => ({
    nbgrader: { schema_version: 3, grade: false, solution: false, locked: false, task: false, ...m },
  });
  source.cells[0]!.metadata = meta({ grade_id: "setup", locked: true });
  source.cells[1]!.metadata = meta({ grade_id: "answer", solution: true });
  source.cells[2]!.metadata = meta({ grade_id: "t1", grade: true, locked: true, points: 2 });
  source.cells[3]!.metadata = meta({ grade_id: "t2", grade: true, locked: true, points: 1 });
  const sourcePath = join(dir, "source.ipynb");
  writeFileSync(sourcePath, serializeNotebook(source));
  const { released } = buildAssignment(source, sourcePath);
  const subs = ["a", "b", "c", "d"].map((s) => {
    const p = join(dir, `${s}.ipynb`);
    writeFileSync(p, serializeNotebook(s === "d" ? released : source));
    return p;
  });
  const rows: string[][] = [];
  for (const jobs of [1, 2]) {
    const t = performance.now();
    await gradeBatch({
      sourcePath,
      submissions: subs,
      outDir: join(dir, `out${jobs}`),
      jobs,
      limits: { cellTimeout: 60, notebookTimeout: 300 },
      progress: null,
    });
    const s = (performance.now() - t) / 1000;
    rows.push([`grade 4 submissions, --jobs ${jobs}`, `${s.toFixed(1)} s (${((4 / s) * 60).toFixed(0)}/min)`, "–"]);
  }
  rows.push(...(await isolation(dir, sourcePath, subs)));
  return rows;
}

/** Runs the grader benchmark and prints its table. */
export async function run(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "spindle-bench-grader-"));
  try {
    const rows = [checksums(), await freshKernel(dir), ...(await throughput(dir))];
    const header = ["measure", "Spindle", "Python"];
    const widths = header.map((_, i) => Math.max(...[header, ...rows].map((r) => r[i]!.length)));
    const line = (r: string[]) => `| ${r.map((c, i) => c.padEnd(widths[i]!)).join(" | ")} |`;
    process.stdout.write(
      [line(header), `|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`, ...rows.map(line)].join("\n") + "\n",
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (require.main === module) {
  run().catch((err: unknown) => {
    process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
    process.exitCode = 1;
  });
}
