/**
 * How many submissions to grade at once: the CPU quota really available —
 * `CPU_LIMIT` when set, then the cgroup v2 quota (`cpu.max`), then
 * `os.availableParallelism()`.
 */
import { readFileSync } from "node:fs";
import { availableParallelism } from "node:os";

/** CPUs this process may use (at least 1). */
export function availableCpus(env: NodeJS.ProcessEnv = process.env): number {
  const limit = Number(env.CPU_LIMIT);
  if (env.CPU_LIMIT !== undefined && Number.isFinite(limit) && limit >= 1) return Math.floor(limit);
  const quota = cgroupQuota();
  const cores = availableParallelism();
  return Math.max(1, Math.min(cores, quota ?? cores));
}

function cgroupQuota(): number | undefined {
  try {
    const [max, period] = readFileSync("/sys/fs/cgroup/cpu.max", "utf8").trim().split(/\s+/);
    if (max === "max") return undefined;
    const q = Number(max) / Number(period);
    return Number.isFinite(q) && q > 0 ? Math.max(1, Math.floor(q)) : undefined;
  } catch {
    return undefined; // no cgroup v2 quota visible: fall back to the core count
  }
}
