/**
 * How many CPUs this process may really use: `CPU_LIMIT` (set by JupyterHub
 * and many container setups), then the cgroup v2 quota (`cpu.max`), then
 * `os.availableParallelism()`. Pools size themselves from this, not os.cpus().
 */
import { readFileSync } from "node:fs";
import { availableParallelism } from "node:os";

/** Parses a `cpu.max` line ("max 100000" or "150000 100000") into a CPU count, or undefined. */
export function parseCpuMax(text: string): number | undefined {
  const [quota, period] = text.trim().split(/\s+/);
  if (quota === undefined || quota === "max" || period === undefined) return undefined;
  const q = Number(quota);
  const p = Number(period);
  if (!(q > 0) || !(p > 0)) return undefined;
  return q / p;
}

/** Reads the cgroup v2 CPU quota of this process, if any. */
function cgroupQuota(): number | undefined {
  try {
    const line = readFileSync("/proc/self/cgroup", "utf8").split("\n").find((l) => l.startsWith("0::"));
    const rel = line ? line.slice(3).trim() : "/";
    for (const dir of [`/sys/fs/cgroup${rel === "/" ? "" : rel}`, "/sys/fs/cgroup"]) {
      try {
        const q = parseCpuMax(readFileSync(`${dir}/cpu.max`, "utf8"));
        if (q !== undefined) return q;
      } catch {
        // No cpu.max at this level (cgroup v1, or no limit set): try the next place.
      }
    }
  } catch {
    // Not Linux or no /proc: fall through to the OS count.
  }
  return undefined;
}

/** The number of CPUs available to this process (at least 1); Python's `cpu_count()` but quota-aware. */
export function cpuCount(env: NodeJS.ProcessEnv = process.env): number {
  const hw = availableParallelism();
  const raw = env.CPU_LIMIT?.trim();
  if (raw) {
    const limit = Number(raw);
    if (Number.isFinite(limit) && limit > 0) return Math.max(1, Math.min(hw, Math.floor(limit)));
  }
  const quota = cgroupQuota();
  if (quota !== undefined) return Math.max(1, Math.min(hw, Math.floor(quota)));
  return Math.max(1, hw);
}
