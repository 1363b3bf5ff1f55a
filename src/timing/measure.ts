/** One timed run of a function: wall-clock and CPU seconds, and its value. */
import { childrenCpu, cpuDelta, cpuSum, selfCpu } from "./cpu";

/** Wall and CPU seconds of one run. */
export interface Measurement<T> {
  value: T;
  /** Wall-clock seconds. */
  wall: number;
  /** CPU seconds in user mode (this process's threads and its child processes). */
  user: number;
  /** CPU seconds in the kernel on its behalf. */
  sys: number;
}

/** True when `v` is a promise or thenable. */
export function isThenable(v: unknown): v is PromiseLike<unknown> {
  return (
    (typeof v === "object" || typeof v === "function") &&
    v !== null &&
    typeof (v as { then?: unknown }).then === "function"
  );
}

/** Runs `fn` once (awaiting it when it returns a promise) and measures it. */
export async function measure<T>(
  fn: () => T | Promise<T>,
  options: { children?: boolean } = {},
): Promise<Measurement<Awaited<T>>> {
  const children = options.children ?? true;
  const none = { user: 0, sys: 0 };
  // The /proc scan for children costs CPU itself: keep it outside this process's measured window.
  const kids0 = children ? childrenCpu() : none;
  const self0 = selfCpu();
  const t0 = performance.now();
  const value = await fn();
  const wall = (performance.now() - t0) / 1000;
  const self1 = selfCpu();
  const kids1 = children ? childrenCpu() : none;
  const cpu = cpuSum(cpuDelta(self0, self1), cpuDelta(kids0, kids1));
  return { value, wall, user: cpu.user, sys: cpu.sys };
}
