/**
 * One submission's sandbox: a private folder (working copy, /tmp, the kernel's
 * sockets) owned by the sandbox's own uid when the grader is root, the command
 * line that starts a kernel inside it (bubblewrap namespaces or Node's
 * permission model, rlimits through prlimit), and a watchdog that kills
 * everything in it when a cap is passed, remembering why.
 */
import { spawnSync } from "node:child_process";
import {
  chownSync,
  copyFileSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative, resolve, sep } from "node:path";
import { descendantsOf } from "../system/process-tree";
import { type Caps, formatSize } from "./caps";
import { PidsGroup } from "./cgroup";
import { type IsolationLevel, sandboxSupport, sandboxUid, spindleRoot, systemBinds } from "./detect";

/** How to build one sandbox. */
export interface SandboxSpec {
  level: IsolationLevel;
  caps: Caps;
  /** Seconds the whole notebook may run: with `caps.cpus`, the CPU-time rlimit where no cgroup shares CPUs. */
  notebookSeconds: number;
  /** The submission's folder, copied when it is the student's own (holds no other submission, no source). */
  workFrom?: string;
  /** Paths the copy must never include (the source notebook, other submissions, the output folder). */
  exclude?: string[];
}

/** A command line to run inside the sandbox. */
export interface SandboxedCommand {
  argv: string[];
  env: NodeJS.ProcessEnv;
  cwd: string;
  uid?: number;
  gid?: number;
}

const WATCH_MS = 100;
const DISK_EVERY = 2;

/** A private folder and the means to run a kernel in it within caps. */
export class Sandbox {
  /** Why the watchdog (or the grader) killed the sandbox, e.g. "killed: memory limit 1 GiB". */
  killReason: string | undefined;
  /** Folders inside the sandbox root: the working copy, /tmp, the kernel's connection files. */
  readonly work: string;
  readonly tmp: string;
  readonly runtime: string;
  readonly uid: number | undefined;
  /** The sandbox's own pids cgroup, where the machine allows one (see cgroup.ts). */
  readonly pids: PidsGroup | undefined;
  #timer: NodeJS.Timeout | undefined;
  #rootPid: () => number | undefined = () => undefined;
  #ticks = 0;
  #disposed = false;

  private constructor(
    readonly spec: SandboxSpec,
    readonly root: string,
  ) {
    this.work = join(root, "work");
    this.tmp = join(root, "tmp");
    this.runtime = join(root, "kernel");
    this.uid = spec.level === "none" ? undefined : sandboxUid();
    const parent = sandboxSupport().pidsCgroup.dir;
    this.pids = spec.level === "none" || !parent ? undefined : PidsGroup.create(parent, spec.caps.pids, this.uid);
  }

  /** Creates the private folder (and copies the student's working folder into it). */
  static create(spec: SandboxSpec): Sandbox {
    const root = mkdtempSync(join(tmpdir(), "spindle-sandbox-"));
    const box = new Sandbox(spec, root);
    for (const dir of [box.work, box.tmp, box.runtime]) mkdirSync(dir, { mode: 0o700 });
    if (spec.workFrom && isOwnFolder(spec.workFrom, spec.exclude ?? []))
      copyTree(spec.workFrom, box.work, spec.caps.disk);
    if (box.uid !== undefined) chownTree(root, box.uid);
    return box;
  }

  /** The command line that starts `argv` (a Node program: argv[0] is Node) inside this sandbox. */
  command(argv: string[], extraEnv: NodeJS.ProcessEnv = {}): SandboxedCommand {
    const { level, caps } = this.spec;
    const env: NodeJS.ProcessEnv = {
      PATH: "/usr/local/bin:/usr/bin:/bin",
      HOME: this.work,
      TMPDIR: level === "namespaces" ? "/tmp" : this.tmp,
      LANG: process.env.LANG ?? "C.UTF-8",
      // Spindle sizes its pools and worker heaps from these.
      CPU_LIMIT: String(caps.cpus),
      MEM_LIMIT: String(caps.memory),
      // The kernel drops output past the cap at the source (and says so): see kernel/output-budget.ts.
      SPINDLE_OUTPUT_LIMIT: String(caps.output),
      ...passThrough(),
      ...extraEnv,
    };
    if (level === "none") return { argv, env: { ...process.env, ...extraEnv }, cwd: this.work };
    const limited = [...this.#rlimits(), ...argv];
    if (level === "permission") {
      env.SPINDLE_EXECUTOR_EXEC_ARGV = JSON.stringify(permissionFlags(this));
      return { argv: this.#inGroup(limited), env, cwd: this.work, uid: this.uid, gid: this.uid };
    }
    const bwrap = sandboxSupport().namespaces.bwrap ?? "bwrap";
    const args = [
      bwrap,
      "--unshare-all",
      "--unshare-user",
      "--disable-userns",
      "--die-with-parent",
      "--new-session",
      "--cap-drop",
      "ALL",
      // The private /tmp first: Node or Spindle installed under /tmp (a checkout there) is bound on top of it.
      "--size",
      String(caps.disk),
      "--tmpfs",
      "/tmp",
      ...systemBinds(),
      ...nodeBinds(argv[0] ?? process.execPath),
      ...spindleBinds("--ro-bind"),
      "--proc",
      "/proc",
      "--dev",
      "/dev",
      "--bind",
      this.root,
      this.root,
      "--chdir",
      this.work,
      "--clearenv",
    ];
    for (const [k, v] of Object.entries(env)) if (v !== undefined) args.push("--setenv", k, v);
    return { argv: this.#inGroup([...args, "--", ...limited]), env: {}, cwd: this.work, uid: this.uid, gid: this.uid };
  }

  #inGroup(argv: string[]): string[] {
    return this.pids ? this.pids.wrap(argv) : argv;
  }

  /** Starts the watchdog over the process tree rooted at `rootPid()` (asked each tick: a restart changes it). */
  watch(rootPid: () => number | undefined): void {
    this.#rootPid = rootPid;
    this.#timer ??= setInterval(() => this.#tick(), WATCH_MS);
    this.#timer.unref();
  }

  /** Kills every process of the sandbox, remembering the first reason given. */
  kill(reason: string): void {
    this.killReason ??= reason;
    const pid = this.#rootPid();
    const pids = pid === undefined ? [] : [pid, ...descendantsOf(pid)];
    for (const p of [...pids, ...(this.pids?.members() ?? [])]) signal(p);
    if (this.uid !== undefined) killUid(this.uid);
  }

  /** Stops the watchdog, kills what is left and removes the private folder. */
  dispose(): void {
    if (this.#disposed) return;
    this.#disposed = true;
    if (this.#timer) clearInterval(this.#timer);
    if (this.uid !== undefined) killUid(this.uid);
    if (this.pids) {
      for (const p of this.pids.members()) signal(p);
      this.pids.remove();
    }
    rmSync(this.root, { recursive: true, force: true });
  }

  /** Checks every cap now, disk included (also after the last cell: a cap passed at the very end still counts). */
  checkNow(): void {
    this.#tick(true);
  }

  #tick(disk = ++this.#ticks % DISK_EVERY === 0): void {
    const pid = this.#rootPid();
    if (this.killReason) return;
    const { caps } = this.spec;
    // With its own uid, everything the sandbox runs is found by owner, also a process that left the tree.
    const pids = this.uid !== undefined ? processesOf(this.uid) : pid === undefined ? [] : [pid, ...descendantsOf(pid)];
    const usage = usageOf(pids);
    // A refused fork is a definite event that came first (a thousand threads also pass the memory cap soon after);
    // the cgroup counts every one. Without a cgroup, RLIMIT_NPROC holds the sandbox at the cap, where a bomb churns
    // below it (a shell bomb held at 128 was sampled at 105 tasks): 75 % of the cap counts as reached. A sample can
    // still miss a bomb that burns out within 100 ms; the cgroup cannot.
    if (this.pids && this.pids.refusals() > 0) this.kill(`killed: process limit ${caps.pids}`);
    else if (usage.rss > caps.memory) this.kill(`killed: memory limit ${formatSize(caps.memory)}`);
    else if (!this.pids && usage.tasks >= Math.ceil(caps.pids * 0.75)) this.kill(`killed: process limit ${caps.pids}`);
    else if (disk && treeSize(this.work) + treeSize(this.tmp) > caps.disk)
      this.kill(`killed: disk limit ${formatSize(caps.disk)}`);
  }

  #rlimits(): string[] {
    const support = sandboxSupport();
    if (!support.prlimit) return [];
    const { caps, level, notebookSeconds } = this.spec;
    const limits = [`--fsize=${caps.disk}`, `--core=0`, `--cpu=${Math.ceil(caps.cpus * notebookSeconds) + 30}`];
    // RLIMIT_NPROC counts a uid's tasks: inside a user namespace, or under the sandbox's own uid, that is the sandbox alone.
    // With a pids cgroup it is only a backstop, set above the cgroup's cap so that the cgroup refuses (and counts) first.
    if (level === "namespaces" || this.uid !== undefined)
      limits.push(`--nproc=${this.pids ? caps.pids * 2 : caps.pids}`);
    return [support.prlimit, ...limits, "--"];
  }
}

/** Spindle's own files: bin/, dist/, package.json and every node_modules it resolves from. */
export function spindleFiles(): string[] {
  const root = spindleRoot();
  const out = ["bin", "dist", "package.json", "node_modules"].map((p) => join(root, p));
  for (let dir = dirname(root); dir !== dirname(dir); dir = dirname(dir)) out.push(join(dir, "node_modules"));
  return out.filter((p) => exists(p));
}

function spindleBinds(flag: string): string[] {
  return spindleFiles().flatMap((p) => [flag, p, p]);
}

function nodeBinds(node: string): string[] {
  const dir = dirname(resolve(node));
  return dir.startsWith("/usr/") ? [] : ["--ro-bind", dirname(dir), dirname(dir)];
}

function permissionFlags(box: Sandbox): string[] {
  // One flag per path: Node 20.20 no longer reads comma-separated lists. A folder ends in "/" (its whole tree).
  const tree = (p: string): string => (isDir(p) ? `${p}/` : p);
  return [
    "--experimental-permission",
    ...[...spindleFiles(), box.work, box.tmp].map((p) => `--allow-fs-read=${tree(p)}`),
    ...[box.work, box.tmp].map((p) => `--allow-fs-write=${tree(p)}`),
    // Spindle's threads are worker threads.
    "--allow-worker",
    // Spindle's processes are Node children: the model allows programs all or nothing, so spawn-guard.ts (preloaded
    // everywhere below) lets through only Spindle's child runtime, under these same flags.
    "--allow-child-process",
    "--require",
    join(spindleRoot(), "dist", "src", "executor", "child", "spawn-guard.js"),
    // The executor, its worker threads and its children may signal only their own process (see kill-guard.ts).
    "--require",
    join(spindleRoot(), "dist", "src", "executor", "child", "kill-guard.js"),
    // Node warns on stderr in every worker that the model is experimental: stderr output scores a test cell 0.
    "--disable-warning=ExperimentalWarning",
    "--disable-warning=SecurityWarning",
  ];
}

function passThrough(): NodeJS.ProcessEnv {
  const out: NodeJS.ProcessEnv = {};
  for (const key of ["SPINDLE_EXECUTOR_SNAPSHOT", "SPINDLE_LOG", "SPINDLE_TEST_TAG"])
    if (process.env[key] !== undefined) out[key] = process.env[key];
  return out;
}

/** A submission folder is copied only when it is the student's own: no other submission, source or output inside. */
function isOwnFolder(dir: string, exclude: string[]): boolean {
  const abs = resolve(dir);
  return !exclude.some((p) => {
    const rel = relative(abs, resolve(p));
    return rel === "" || (!rel.startsWith("..") && !rel.startsWith(sep));
  });
}

/** Copies regular files and folders (never symlinks, devices or sockets) up to `budget` bytes. */
function copyTree(from: string, to: string, budget: number): number {
  let used = 0;
  let entries: string[];
  try {
    entries = readdirSync(from);
  } catch {
    return 0;
  }
  for (const name of entries) {
    const src = join(from, name);
    const dst = join(to, name);
    let st;
    try {
      st = lstatSync(src);
    } catch {
      continue;
    }
    if (st.isDirectory()) {
      mkdirSync(dst, { mode: 0o700 });
      used += copyTree(src, dst, budget - used);
    } else if (st.isFile() && used + st.size <= budget) {
      copyFileSync(src, dst);
      used += st.size;
    }
  }
  return used;
}

function chownTree(path: string, uid: number): void {
  chownSync(path, uid, uid);
  if (!lstatSync(path).isDirectory()) return;
  for (const name of readdirSync(path)) chownTree(join(path, name), uid);
}

function treeSize(dir: string): number {
  let total = 0;
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    return 0;
  }
  for (const name of entries) {
    const p = join(dir, name);
    try {
      const st = lstatSync(p);
      total += st.isDirectory() ? treeSize(p) : st.blocks * 512;
    } catch {
      // removed meanwhile
    }
  }
  return total;
}

function usageOf(pids: number[]): { rss: number; tasks: number } {
  let rss = 0;
  let tasks = 0;
  for (const p of pids) {
    let status: string;
    try {
      status = readFileSync(`/proc/${p}/status`, "utf8");
    } catch {
      continue;
    }
    rss += Number(/^VmRSS:\s+(\d+)/m.exec(status)?.[1] ?? 0) * 1024;
    tasks += Number(/^Threads:\s+(\d+)/m.exec(status)?.[1] ?? 1);
  }
  return { rss, tasks };
}

function signal(pid: number): void {
  try {
    process.kill(pid, "SIGKILL");
  } catch {
    // gone
  }
}

/** Kills every process of `uid` until none is left (a fork bomb forks while it is being killed). */
function killUid(uid: number): void {
  for (let round = 0; round < 20; round++) {
    const pids = processesOf(uid);
    if (pids.length === 0) return;
    for (const p of pids) signal(p);
  }
  // Last resort for a bomb that outruns the loop: the kernel's own kill of everything this uid runs.
  spawnSync("/bin/kill", ["-9", "-1"], { uid, gid: uid, timeout: 5000 });
}

function processesOf(uid: number): number[] {
  const out: number[] = [];
  let entries: string[];
  try {
    entries = readdirSync("/proc");
  } catch {
    return out;
  }
  for (const e of entries) {
    if (!/^\d+$/.test(e)) continue;
    try {
      if (statSync(`/proc/${e}`).uid === uid) out.push(Number(e));
    } catch {
      // gone
    }
  }
  return out;
}

function isDir(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}

function exists(p: string): boolean {
  try {
    lstatSync(p);
    return true;
  } catch {
    return false;
  }
}
