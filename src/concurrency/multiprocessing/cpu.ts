/**
 * How many CPUs this process may really use: `CPU_LIMIT` (set by JupyterHub
 * and many container setups), then the cgroup quota, then
 * `os.availableParallelism()`. Pools size themselves from this, not os.cpus().
 * The one implementation lives in runtime/resources.ts.
 */
export { cpuCount, parseCpuMax } from "../../runtime/resources";
