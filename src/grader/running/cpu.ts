/** How many submissions to grade at once: the CPUs really available (CPU_LIMIT, cgroup quota, then the core count). */
export { cpuCount as availableCpus } from "../../concurrency/multiprocessing/cpu";
