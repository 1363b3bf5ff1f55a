/**
 * A course in nbgrader's layout (source/doubling/doubling.ipynb,
 * submitted/<student>/doubling/doubling.ipynb) with honest students — some
 * with names a spreadsheet would run as formulas — and hostile ones, one per
 * attack a student could try from an answer cell. Attacks that try to read or
 * reach something answer correctly only when they succeed, so a working
 * defence shows as 0; attacks that tamper, kill or flood answer correctly and
 * must be voided and flagged.
 */
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildAssignment } from "../../../src/grader/format/release";
import { serializeNotebook, type Notebook } from "../../../src/nbformat";
import { sourceNotebook } from "./fixture";

/** Honest students: name → their answer's body. Names a spreadsheet would run as formulas, and quotes and spaces. */
export const HONEST: Record<string, string> = {
  solved: "  return n * factor;",
  partial: "  return n === 1 ? 3 : n * factor;",
  '=HYPERLINK("x")': "  return n * factor;",
  "-rm -rf": "  return n * factor;",
  "@sum": "  return n === 1 ? 3 : n * factor;",
  '+plus o\'brien "jr"': "  return n * factor;",
};

/**
 * An honest student whose answer works only when Spindle's own workers do: a thread (its closure uses names from
 * cells' top level), a process with a queue and a cross-process lock, and a process pool.
 */
export const WORKERS =
  'import { Thread, shared } from "spindle/threading";\n' +
  'import { Lock, Pool, Process, Queue } from "spindle/multiprocessing";\n' +
  "const base = 21;\n" +
  "function timesFactor(n: number): number {\n  return n * factor;\n}\n" +
  "const box = shared({ product: 0 });\n" +
  "const thread = new Thread({ target: () => { box.product = timesFactor(base); } });\n" +
  "thread.start();\nawait thread.join();\n" +
  "const queue = new Queue<number>();\nconst lock = new Lock();\n" +
  // The child outlives its watchdog's first look at its parent (every 200 ms) before it answers.
  "const child = new Process({ target: (q: Queue<number>, l: Lock) => { Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 600); l.acquire(); q.put(timesFactor(base)); l.release(); }, args: [queue, lock] });\n" +
  "child.start();\nconst fromChild = await queue.get();\nawait child.join();\n" +
  "const pool = new Pool(2);\nconst doubled = await pool.map((x: number) => timesFactor(x), [1, 2, 3]);\npool.close();\nawait pool.join();\n" +
  'const workersOk = box.product === 42 && fromChild === 42 && doubled.join() === "2,4,6";\n' +
  "function double(n: number): number {\n" +
  "  if (!workersOk) throw new Error(`Spindle's workers: ${box.product} ${fromChild} ${doubled}`);\n" +
  "  return n * factor;\n}\n";

/** Where the attacks aim. */
export interface Targets {
  source: string;
  out: string;
  submissions: string[];
  secret: string;
  port: number;
  /** A file every user may read, outside the sandbox's folders, holding `secret`: a program could read it. */
  canary: string;
}

const ATTEMPT = 'let ok = false;\nconst fs: any = require("fs");\n';
const IF_OK =
  'function double(n: number): number {\n  if (!ok) throw new Error("the attack did not work");\n  return n * factor;\n}\n';
const CORRECT = "function double(n: number): number {\n  return n * factor;\n}\n";
const BLOCK = "await new Promise(() => {});\n";

/** Hostile students: name → the answer cell's whole source. */
export function attacks(t: Targets): Record<string, string> {
  const q = JSON.stringify;
  return {
    // Read the model answers: the source's path is guessed, and looked for on every process's command line.
    steal:
      ATTEMPT +
      IF_OK +
      `const paths: string[] = [${q(t.source)}];\n` +
      'try { for (const p of fs.readdirSync("/proc")) { if (!/^\\d+$/.test(p)) continue;\n' +
      '  try { for (const a of fs.readFileSync(`/proc/${p}/cmdline`, "utf8").split("\\0")) if (a.endsWith(".ipynb")) paths.push(a); } catch {} } } catch {}\n' +
      'for (const p of paths) { try { if (fs.readFileSync(p, "utf8").includes("BEGIN HIDDEN TESTS")) ok = true; } catch {} }\n',
    // Secrets in the grader's environment, directly or through /proc.
    secrets:
      ATTEMPT +
      IF_OK +
      `const secret = ${q(t.secret)};\n` +
      "if (JSON.stringify(process.env).includes(secret)) ok = true;\n" +
      'try { for (const p of fs.readdirSync("/proc")) { try { if (fs.readFileSync(`/proc/${p}/environ`, "latin1").includes(secret)) ok = true; } catch {} } } catch {}\n',
    // A connection to a server on the grader's machine.
    network:
      ATTEMPT +
      IF_OK +
      "ok = await new Promise<boolean>((resolve) => {\n" +
      `  const s = require("net").connect(${t.port}, "127.0.0.1", () => { s.end(); resolve(true); });\n` +
      '  s.on("error", () => resolve(false));\n  setTimeout(() => { s.destroy(); resolve(false); }, 3000);\n});\n',
    // Forge results in the output folder.
    writeout:
      ATTEMPT +
      IF_OK +
      `try { fs.writeFileSync(${q(join(t.out, "grades.csv"))}, "student,cell,points,max\\nwriteout,t_one,3,3\\n"); ok = true; } catch {}\n` +
      `try { fs.writeFileSync(${q(join(t.out, "feedback", "solved.html"))}, "forged"); ok = true; } catch {}\n`,
    // Walk the whole visible file system for the assignment's other notebooks (the source, classmates').
    scan:
      ATTEMPT +
      IF_OK +
      "const found: string[] = [];\n" +
      "const walk = (dir: string, depth: number): void => {\n" +
      '  if (depth > 10 || found.length > 0 || ["/proc", "/sys", "/dev"].includes(dir)) return;\n' +
      "  let names: string[] = [];\n  try { names = fs.readdirSync(dir); } catch { return; }\n" +
      '  for (const n of names) { const p = (dir === "/" ? "" : dir) + "/" + n; let st: any;\n' +
      "    try { st = fs.lstatSync(p); } catch { continue; }\n" +
      "    if (st.isDirectory()) walk(p, depth + 1);\n" +
      '    else if (n.endsWith(".ipynb") && !p.startsWith(process.cwd() + "/")) {\n' +
      '      try { if (fs.readFileSync(p, "utf8").includes("Write `double(n)`")) found.push(p); } catch {} } }\n};\n' +
      'walk("/", 0);\nconsole.log("found:", found.join(" "));\nok = found.length > 0;\n',
    // Delete the teacher's source, the other submissions and the output folder.
    vandal:
      ATTEMPT +
      IF_OK +
      `for (const p of ${q([t.source, ...t.submissions])}) { try { fs.rmSync(p, { force: false }); ok = true; } catch {} }\n` +
      `try { fs.rmSync(${q(t.out)}, { recursive: true }); ok = true; } catch {}\n`,
    // Leave the permission model: a worker thread started without the process's flags (execArgv: []), reached
    // through the export, the prototype chain and an instance's constructor.
    escape:
      ATTEMPT +
      IF_OK +
      'const wt: any = require("worker_threads");\n' +
      `const code = \`const { parentPort } = require("worker_threads"); let r = false; try { r = require("fs").readFileSync(\${JSON.stringify(${q(t.source)})}, "utf8").includes("BEGIN HIDDEN TESTS"); } catch {} parentPort.postMessage(r);\`;\n` +
      "const tryWorker = (Ctor: any) => new Promise<boolean>((resolve) => {\n" +
      '  try { const w = new Ctor(code, { eval: true, execArgv: [] }); w.on("message", (m: boolean) => { resolve(m); void w.terminate(); });\n' +
      '    w.on("error", () => resolve(false)); setTimeout(() => resolve(false), 5000); } catch { resolve(false); } });\n' +
      'for (const C of [wt.Worker, Object.getPrototypeOf(wt.Worker), wt.Worker.prototype.constructor]) if (typeof C === "function" && await tryWorker(C)) ok = true;\n',
    // Start a program (or a Node without the permission model) to read what the sandbox may not: every route.
    programs:
      ATTEMPT +
      IF_OK +
      'const cp: any = require("child_process");\n' +
      `const canary = ${q(t.canary)};\nconst secret = ${q(t.secret)};\n` +
      'const seen = (out: unknown) => { if (String(out ?? "").includes(secret)) ok = true; };\n' +
      'const readIt = `process.stdout.write(require("fs").readFileSync(${JSON.stringify(canary)}, "utf8"))`;\n' +
      'try { fs.writeFileSync("evil.js", readIt); } catch {}\n' +
      'const evil = require("path").resolve("evil.js");\n' +
      // The child runtime's path, as an attacker finds it from the guards on the executor's own command line.
      'const guard = process.execArgv.find((a: string) => a.endsWith("spawn-guard.js"));\n' +
      'const childMain = guard ? guard.replace(/executor\\/child\\/spawn-guard\\.js$/, "concurrency/multiprocessing-child/main.js") : evil;\n' +
      "for (const run of [\n" +
      '  () => seen(cp.execFileSync("/bin/cat", [canary])),\n' +
      "  () => seen(cp.execSync(`cat ${canary}`)),\n" +
      '  () => seen(cp.spawnSync("/bin/cat", [canary]).stdout),\n' +
      '  () => seen(cp.execFileSync(process.execPath, ["-e", readIt])),\n' +
      '  () => seen(cp.execFileSync("mkfifo", ["-m", "600", canary + ".fifo"])),\n' +
      "]) { try { run(); } catch {} }\n" +
      "const watch = (start: () => any) => new Promise<void>((resolve) => {\n" +
      '  try { const c = start(); let out = ""; c.stdout?.on("data", (d: unknown) => (out += String(d)));\n' +
      '    c.on("error", () => resolve()); c.on("close", () => { seen(out); resolve(); }); setTimeout(resolve, 5000);\n' +
      "  } catch { resolve(); } });\n" +
      'await watch(() => cp.spawn("/bin/cat", [canary]));\n' +
      "await watch(() => cp.exec(`cat ${canary}`));\n" +
      'await watch(() => cp.spawn(process.execPath, ["-e", readIt]));\n' +
      "await watch(() => cp.fork(evil, [], { execArgv: [], silent: true }));\n" +
      'await watch(() => cp.fork(childMain, [], { execArgv: ["--allow-fs-read=*", "--require", evil], silent: true }));\n' +
      "await watch(() => cp.fork(childMain, [], { silent: true, env: { ...process.env, NODE_OPTIONS: `--allow-fs-read=* --require ${evil}` } }));\n" +
      'await watch(() => { const c = new cp.ChildProcess(); c.spawn({ file: "/bin/cat", args: ["cat", canary], stdio: ["pipe", "pipe", "pipe"] }); return c; });\n' +
      'await watch(() => { const cluster: any = require("cluster"); cluster.setupPrimary({ exec: evil, silent: true }); return cluster.fork().process; });\n' +
      // From a worker thread, whose child_process module is its own.
      'await new Promise<void>((resolve) => { try { const w = new (require("worker_threads").Worker)(`const { parentPort } = require("worker_threads"); let r = ""; try { r = String(require("child_process").execFileSync("/bin/cat", [${JSON.stringify(canary)}])); } catch {} parentPort.postMessage(r);`, { eval: true });\n' +
      '  w.on("message", (m: unknown) => { seen(m); void w.terminate(); resolve(); }); w.on("error", () => resolve()); setTimeout(resolve, 5000); } catch { resolve(); } });\n',
    // Read the model answers through a symlink planted in the student's own folder.
    symlink:
      ATTEMPT + IF_OK + 'try { ok = fs.readFileSync("notes.txt", "utf8").includes("BEGIN HIDDEN TESTS"); } catch {}\n',
    // Kill every process in sight, the grader included.
    killer:
      CORRECT +
      'for (const p of fs_list()) { if (Number(p) !== process.pid) try { process.kill(Number(p), "SIGKILL"); } catch {} }\n' +
      'try { process.kill(-1, "SIGKILL"); } catch {}\n' +
      'try { process.kill(process.ppid, "SIGKILL"); } catch {}\n' +
      'function fs_list(): string[] { try { return require("fs").readdirSync("/proc").filter((p: string) => /^\\d+$/.test(p)); } catch { return []; } }\n' +
      BLOCK,
    // Exit, and crash, the process running the cells.
    exits: CORRECT + "process.exit(0);\n",
    crash: CORRECT + 'process.kill(process.pid, "SIGSEGV");\n',
    // Replace what `import { points } from "spindle/grading"` returns: every points(...) gives full marks.
    forge:
      "function double(n: number): number {\n  return 0;\n}\n" +
      'const g: any = require("spindle/grading");\n' +
      "try { g.points = () => new g.Points(3); } catch {}\n" +
      'const cache: any = (require("module") as any)._cache;\n' +
      'for (const k of Object.keys(cache)) if (k.endsWith("grading.js")) cache[k].exports = { ...g, points: () => new g.Points(3) };\n',
    // A built-in the test relies on: Promise.resolve turns the wrong double(1) into the right one.
    builtin:
      "function double(n: number): number {\n  return n === 1 ? 999 : n * factor;\n}\n" +
      "const resolve0 = Promise.resolve.bind(Promise);\n" +
      "(Promise as any).resolve = (x: any) => resolve0(x === 999 ? 2 : x);\n",
    // The same, done during the test cell (inside double(1)): only the cells from there on are voided.
    during:
      "function double(n: number): number {\n" +
      "  if (n === 1) { const r0 = Promise.resolve.bind(Promise); (Promise as any).resolve = (x: any) => r0(x === 999 ? 2 : x); return 999; }\n" +
      "  return n * factor;\n}\n",
    // Hundreds of processes (a shell fork bomb, where programs may start) and a thousand threads.
    forkbomb:
      CORRECT +
      'try { require("child_process").spawn("/bin/sh", ["-c", "b(){ b & b & wait; }; b"], { stdio: "ignore" }); }\n' +
      "catch {}\n" +
      'const { Worker } = require("worker_threads");\nfor (let i = 0; i < 1000; i++) { try { new Worker("setInterval(() => {}, 1000)", { eval: true }); } catch {} }\n' +
      BLOCK,
    // Memory without bound.
    memory:
      CORRECT +
      "const keep: Buffer[] = [];\n" +
      "for (;;) { keep.push(Buffer.alloc(64 * 1024 * 1024, 1)); await new Promise((r) => setImmediate(r)); }\n",
    // Fill the disk.
    disk:
      CORRECT +
      "for (let i = 0; i < 40; i++) { try { fs_write(`fill-${i}.bin`); } catch { break; } }\n" +
      'function fs_write(p: string): void { require("fs").writeFileSync(p, Buffer.alloc(8 * 1024 * 1024, 1)); }\n' +
      BLOCK,
    // Print without end.
    flood:
      CORRECT +
      'const line = "x".repeat(1 << 20);\nfor (let i = 0; i < 1024; i++) process.stdout.write(line);\n' +
      BLOCK,
    // Never end.
    forever: "function double(n: number): number {\n  while (n > 0) {}\n  return n * factor;\n}\n",
  };
}

/** Where the course lives. */
export interface Course {
  dir: string;
  source: string;
  submitted: string;
  /** student → path of their notebook (the symlinked submission included). */
  paths: Record<string, string>;
}

/** Writes source/, and submitted/<student>/doubling/doubling.ipynb for `students` (name → answer cell source). */
export function writeCourse(
  students: Record<string, string>,
  dir = mkdtempSync(join(tmpdir(), "spindle-hostile-")),
): Course {
  const src = sourceNotebook();
  const source = join(dir, "source", "doubling", "doubling.ipynb");
  mkdirSync(join(dir, "source", "doubling"), { recursive: true });
  writeFileSync(source, serializeNotebook(src));
  const { released } = buildAssignment(src, source);
  const paths: Record<string, string> = {};
  for (const [name, answer] of Object.entries(students)) {
    const folder = join(dir, "submitted", name, "doubling");
    mkdirSync(folder, { recursive: true });
    const nb: Notebook = structuredClone(released);
    nb.cells[2]!.source = answer;
    nb.cells[5]!.source = "Multiplying by the factor.";
    paths[name] = join(folder, "doubling.ipynb");
    writeFileSync(paths[name]!, serializeNotebook(nb));
    if (name === "symlink") symlinkSync(source, join(folder, "notes.txt"));
  }
  return { dir, source, submitted: join(dir, "submitted"), paths };
}

/** The answer cell of an honest student. */
export function honestAnswer(body: string): string {
  return `function double(n: number): number {\n${body}\n}`;
}

/** Adds a submission that is a symlink to the teacher's source (it would score full marks if followed). */
export function addSymlinkedSubmission(course: Course, name: string): string {
  const folder = join(course.submitted, name, "doubling");
  mkdirSync(folder, { recursive: true });
  const path = join(folder, "doubling.ipynb");
  symlinkSync(course.source, path);
  course.paths[name] = path;
  return path;
}
