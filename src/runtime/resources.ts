/**
 * What this process may really use: the CPU quota and the memory limit.
 *
 * On a JupyterHub or Kubernetes server the host may show 64 cores while the
 * student's container gets 1, so pools that size themselves from the core count
 * start 64 workers that fight over one CPU (and memory). Spindle reads, in this
 * order: `CPU_LIMIT` (JupyterHub's spawners set it), the cgroup v2 `cpu.max`,
 * the cgroup v1 CFS quota, then `os.availableParallelism()`. For memory:
 * `MEM_LIMIT`, then cgroup v2 `memory.max` / v1 `memory.limit_in_bytes`.
 * The environment is read on every call, so a changed CPU_LIMIT is seen at once;
 * the cgroup files (slow to read under load: ~0.2 ms each on a busy machine, and
 * read on every worker start) are re-read at most once a second.
 */
import { readFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import { join } from "node:path";
import { getHeapStatistics } from "node:v8";
import type { ResourceLimits } from "node:worker_threads";
import { currentCell, writeStream, type CellContext } from "./cell-context";

/** Where to look: the environment and the filesystem root holding /proc and /sys (tests point it elsewhere). */
export interface ResourceSources {
  /** Environment to read CPU_LIMIT, MEM_LIMIT and SPINDLE_WORKER_HEAP_MB from (default process.env). */
  env?: NodeJS.ProcessEnv;
  /** Root directory under which /proc/self/cgroup and /sys/fs/cgroup are read (default "/"). */
  root?: string;
  /** Number of CPUs the OS offers (default os.availableParallelism()). */
  hardware?: number;
}

/** Where a CPU or memory figure came from. */
export type CpuSource = "CPU_LIMIT" | "cgroup v2 cpu.max" | "cgroup v1 cpu.cfs_quota_us" | "cores";
/** Where a memory limit came from. */
export type MemorySource = "MEM_LIMIT" | "cgroup v2 memory.max" | "cgroup v1 memory.limit_in_bytes" | "none";

/** The CPU quota as Spindle sees it. */
export interface CpuQuota {
  /** Whole CPUs to size pools by: the quota rounded down, at least 1, at most `hardware`. */
  count: number;
  /** The quota as set (may be fractional, e.g. 1.5), or the core count when there is no quota. */
  cpus: number;
  /** Where `cpus` came from; "cores" means no quota is set. */
  source: CpuSource;
  /** CPUs the OS offers this process (affinity-aware). */
  hardware: number;
}

/** The memory limit as Spindle sees it. */
export interface MemoryLimit {
  /** Bytes, or undefined when no limit is set. */
  bytes: number | undefined;
  /** Where `bytes` came from. */
  source: MemorySource;
}

/** Parses a cgroup v2 `cpu.max` line ("max 100000" or "150000 100000") into CPUs, or undefined when unlimited. */
export function parseCpuMax(text: string): number | undefined {
  const [quota, period] = text.trim().split(/\s+/);
  if (quota === undefined || quota === "max" || period === undefined) return undefined;
  return ratio(Number(quota), Number(period));
}

/** Parses a memory size: bytes ("1073741824") or with a unit ("512M", "1.5G", "2Gi"), or undefined. */
export function parseMemory(text: string | undefined): number | undefined {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([kmgt]?)(i?b?)\s*$/i.exec(text ?? "");
  if (!m) return undefined;
  const power = " kmgt".indexOf(m[2]!.toLowerCase() || " ");
  const bytes = Math.floor(Number(m[1]) * 1024 ** power);
  return bytes > 0 ? bytes : undefined;
}

/** The CPU quota of this process (CPU_LIMIT, cgroup v2, cgroup v1, then the OS count). */
export function cpuQuota(sources: ResourceSources = {}): CpuQuota {
  const env = sources.env ?? process.env;
  const hardware = Math.max(1, sources.hardware ?? availableParallelism());
  const fromEnv = Number(env.CPU_LIMIT?.trim() || Number.NaN);
  let found: { cpus: number; source: CpuSource } | undefined;
  if (Number.isFinite(fromEnv) && fromEnv > 0) found = { cpus: fromEnv, source: "CPU_LIMIT" };
  found ??= cached("cpu", sources.root ?? "/", cgroupCpu);
  const cpus = found?.cpus ?? hardware;
  return { count: Math.max(1, Math.min(hardware, Math.floor(cpus))), cpus, source: found?.source ?? "cores", hardware };
}

/** Whole CPUs this process may use (at least 1): Python's `cpu_count()`, but quota-aware. */
export function cpuCount(env: NodeJS.ProcessEnv = process.env): number {
  return cpuQuota({ env }).count;
}

/** The memory limit of this process (MEM_LIMIT, then the cgroup's), if any. */
export function memoryLimit(sources: ResourceSources = {}): MemoryLimit {
  const env = sources.env ?? process.env;
  const fromEnv = parseMemory(env.MEM_LIMIT);
  if (fromEnv !== undefined) return { bytes: fromEnv, source: "MEM_LIMIT" };
  return cached("memory", sources.root ?? "/", cgroupMemory) ?? { bytes: undefined, source: "none" };
}

/** Heap cap (MB) for each worker thread or child process, or undefined for V8's default. */
export function workerHeapMb(sources: ResourceSources = {}): number | undefined {
  const env = sources.env ?? process.env;
  const override = env.SPINDLE_WORKER_HEAP_MB?.trim();
  if (override) {
    const mb = Math.floor(Number(override));
    // "0" turns the cap off; anything unreadable falls back to the rule below.
    if (mb === 0) return undefined;
    if (mb > 0) return Math.max(MIN_HEAP_MB, mb);
  }
  const limit = memoryLimit(sources).bytes;
  if (limit === undefined) return undefined;
  // Half the limit: one runaway worker dies with a heap error of its own instead of getting the
  // whole server (kernel, executor and all) killed by the kernel's OOM killer. Never above V8's own default.
  const half = Math.floor(limit / 2 / MB);
  return Math.max(MIN_HEAP_MB, Math.min(half, defaultHeapMb()));
}

/** `resourceLimits` for `new Worker(...)` under the memory limit (undefined when there is none). */
export function workerResourceLimits(sources: ResourceSources = {}): ResourceLimits | undefined {
  const mb = workerHeapMb(sources);
  return mb === undefined ? undefined : { maxOldGenerationSizeMb: mb };
}

/** Node flags for a child process under the memory limit (`--max-old-space-size=N`, or none). */
export function childHeapArgs(sources: ResourceSources = {}): string[] {
  const mb = workerHeapMb(sources);
  return mb === undefined ? [] : [`--max-old-space-size=${mb}`];
}

/**
 * How long warm spares may sit unused before they are let go (see spare-release.ts): SPINDLE_SPARES_IDLE_S
 * seconds (0 keeps them for good), else 10 minutes.
 */
export function spareIdleMs(sources: ResourceSources = {}): number {
  const raw = (sources.env ?? process.env).SPINDLE_SPARES_IDLE_S?.trim();
  const seconds = raw ? Number(raw) : Number.NaN;
  return Number.isFinite(seconds) && seconds >= 0 ? seconds * 1000 : 600_000;
}

/** Warm spare workers (threads or processes) to keep booted: 2, fewer under a smaller CPU quota. */
export function defaultSpareCount(sources: ResourceSources = {}): number {
  return Math.min(2, cpuQuota(sources).count);
}

const warned = new WeakMap<object, Set<string>>();
const outsideCells = {};

/**
 * Writes a warning into the cell's output when `requested` workers exceed the CPU quota.
 * Only a real quota (CPU_LIMIT or a cgroup) counts: on a personal machine oversubscribing is an
 * experiment worth running. Once per cell for each `what` and size. Returns true when it warned.
 */
export function warnIfOverQuota(
  requested: number,
  what: string,
  cell: CellContext | undefined = currentCell(),
  sources: ResourceSources = {},
): boolean {
  const quota = cpuQuota(sources);
  if (quota.source === "cores" || requested <= quota.count) return false;
  const key = `${what}:${requested}`;
  const seen = warned.get(cell ?? outsideCells) ?? new Set<string>();
  warned.set(cell ?? outsideCells, seen);
  if (seen.has(key)) return false;
  seen.add(key);
  const where = quota.source === "CPU_LIMIT" ? `CPU_LIMIT=${quota.cpus}` : `${quota.source}: ${quota.cpus}`;
  writeStream(
    "stderr",
    `Warning: ${what} asks for ${requested} workers, but this server's CPU quota is ${quota.count} (${where}). ` +
      `The extra workers share those ${quota.count} CPU${quota.count === 1 ? "" : "s"}: CPU-bound work gets no faster and each worker costs memory. ` +
      `Leave the size out to get cpuCount() = ${quota.count} workers.\n`,
    cell,
  );
  return true;
}

const MB = 1024 * 1024;
const MIN_HEAP_MB = 16;
// Values at or above this are cgroup v1's "no limit" (a page-rounded 2^63 - 1).
const V1_UNLIMITED = 2 ** 62;

const CACHE_MS = 1000;
const cache = new Map<string, { at: number; value: unknown }>();

/** `read(root)`, reused for CACHE_MS (cgroup limits change rarely; worker starts are frequent). */
function cached<T>(kind: string, root: string, read: (root: string) => T): T {
  const key = `${kind}\0${root}`;
  const hit = cache.get(key);
  const now = Date.now();
  if (hit && now - hit.at < CACHE_MS) return hit.value as T;
  const value = read(root);
  cache.set(key, { at: now, value });
  return value;
}

function defaultHeapMb(): number {
  return Math.floor(getHeapStatistics().heap_size_limit / MB);
}

function ratio(quota: number, period: number): number | undefined {
  return quota > 0 && period > 0 ? quota / period : undefined;
}

function read(path: string): string | undefined {
  try {
    return readFileSync(path, "utf8");
  } catch {
    return undefined;
  }
}

/** This process's cgroup paths: "" → the v2 path, "cpu,cpuacct" etc. → v1 paths. */
export function cgroupPaths(root = "/"): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of (read(join(root, "proc", "self", "cgroup")) ?? "").split("\n")) {
    const m = /^\d+:([^:]*):(.*)$/.exec(line.trim());
    if (m) out.set(m[1]!, m[2]!);
  }
  return out;
}

/** Directories from the process's own cgroup up to the hierarchy root (a limit may sit on any ancestor). */
function ancestors(mount: string, rel: string): string[] {
  const parts = rel.split("/").filter((p) => p !== "" && p !== "..");
  const dirs: string[] = [];
  for (let i = parts.length; i >= 0; i--) dirs.push(join(mount, ...parts.slice(0, i)));
  return dirs;
}

/** The smallest value `readOne` finds along the ancestors of each candidate hierarchy. */
function smallest(dirs: string[], readOne: (dir: string) => number | undefined): number | undefined {
  let best: number | undefined;
  for (const dir of dirs) {
    const v = readOne(dir);
    if (v !== undefined && (best === undefined || v < best)) best = v;
  }
  return best;
}

function v1Mounts(root: string, paths: Map<string, string>, controller: string): string[] {
  const dirs: string[] = [];
  for (const [controllers, rel] of paths) {
    if (!controllers.split(",").includes(controller)) continue;
    for (const name of new Set([controllers, controller]))
      dirs.push(...ancestors(join(root, "sys", "fs", "cgroup", name), rel));
  }
  return dirs;
}

function v2Dirs(root: string, paths: Map<string, string>): string[] {
  const rel = paths.get("");
  if (rel === undefined) return [];
  // In a container with its own cgroup namespace the path is "/" and the files sit at the mount itself.
  return [join(root, "sys", "fs", "cgroup"), join(root, "sys", "fs", "cgroup", "unified")].flatMap((m) =>
    ancestors(m, rel),
  );
}

function cgroupCpu(root: string): { cpus: number; source: CpuSource } | undefined {
  const paths = cgroupPaths(root);
  const v2 = smallest(v2Dirs(root, paths), (d) => {
    const text = read(join(d, "cpu.max"));
    return text === undefined ? undefined : parseCpuMax(text);
  });
  if (v2 !== undefined) return { cpus: v2, source: "cgroup v2 cpu.max" };
  const v1 = smallest(v1Mounts(root, paths, "cpu"), (d) =>
    ratio(Number(read(join(d, "cpu.cfs_quota_us"))), Number(read(join(d, "cpu.cfs_period_us")))),
  );
  return v1 === undefined ? undefined : { cpus: v1, source: "cgroup v1 cpu.cfs_quota_us" };
}

function cgroupMemory(root: string): MemoryLimit | undefined {
  const paths = cgroupPaths(root);
  const v2 = smallest(v2Dirs(root, paths), (d) => {
    const text = read(join(d, "memory.max"))?.trim();
    return text === undefined || text === "max" ? undefined : parseMemory(text);
  });
  if (v2 !== undefined) return { bytes: v2, source: "cgroup v2 memory.max" };
  const v1 = smallest(v1Mounts(root, paths, "memory"), (d) => {
    const bytes = parseMemory(read(join(d, "memory.limit_in_bytes")));
    return bytes !== undefined && bytes < V1_UNLIMITED ? bytes : undefined;
  });
  return v1 === undefined ? undefined : { bytes: v1, source: "cgroup v1 memory.limit_in_bytes" };
}
