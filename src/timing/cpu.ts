/**
 * CPU time of this process (every thread) plus its child processes, in seconds.
 *
 * `process.cpuUsage()` covers the process and all its worker threads but not
 * child processes. On Linux the children are added from /proc: finished and
 * reaped children through this process's cutime/cstime, live ones (a warm
 * process pool, say) through their own stat lines. Elsewhere only this
 * process counts. /proc has 10 ms resolution, so short child work may show 0.
 */
import fs from "node:fs";

/** CPU seconds at one moment. */
export interface CpuSnapshot {
  user: number;
  sys: number;
}

const TICK = 0.01; // seconds per clock tick (USER_HZ is 100 on Linux)
const hasProc = process.platform === "linux" && fs.existsSync("/proc/self/stat");

/** CPU seconds used so far by this process's threads. */
export function selfCpu(): CpuSnapshot {
  const u = process.cpuUsage();
  return { user: u.user / 1e6, sys: u.system / 1e6 };
}

/** CPU seconds used so far by this process's child processes (live and reaped); zero where /proc is missing. */
export function childrenCpu(): CpuSnapshot {
  return hasProc ? descendantsCpu() : { user: 0, sys: 0 };
}

/** The sum of two snapshots. */
export function cpuSum(a: CpuSnapshot, b: CpuSnapshot): CpuSnapshot {
  return { user: a.user + b.user, sys: a.sys + b.sys };
}

/** `after - before`, never negative (a child that exited unreaped between snapshots loses its time). */
export function cpuDelta(before: CpuSnapshot, after: CpuSnapshot): CpuSnapshot {
  return { user: Math.max(0, after.user - before.user), sys: Math.max(0, after.sys - before.sys) };
}

interface StatLine {
  pid: number;
  ppid: number;
  utime: number;
  stime: number;
  cutime: number;
  cstime: number;
}

function readStat(pid: string): StatLine | undefined {
  try {
    const s = fs.readFileSync(`/proc/${pid}/stat`, "latin1");
    const f = s.slice(s.lastIndexOf(")") + 2).split(" ");
    // After "pid (comm) ": state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime stime cutime cstime
    return {
      pid: Number(pid),
      ppid: Number(f[1]),
      utime: Number(f[11]),
      stime: Number(f[12]),
      cutime: Number(f[13]),
      cstime: Number(f[14]),
    };
  } catch {
    return undefined; // the process ended while we looked
  }
}

function descendantsCpu(): CpuSnapshot {
  const self = readStat("self");
  let user = self ? self.cutime * TICK : 0;
  let sys = self ? self.cstime * TICK : 0;
  let entries: string[];
  try {
    entries = fs.readdirSync("/proc");
  } catch {
    return { user, sys };
  }
  const byParent = new Map<number, StatLine[]>();
  for (const name of entries) {
    if (name.charCodeAt(0) < 48 || name.charCodeAt(0) > 57) continue;
    const st = readStat(name);
    if (!st) continue;
    const list = byParent.get(st.ppid);
    if (list) list.push(st);
    else byParent.set(st.ppid, [st]);
  }
  const stack = [...(byParent.get(process.pid) ?? [])];
  while (stack.length > 0) {
    const st = stack.pop() as StatLine;
    // A live child's own reaped children are in its cutime; its live children are visited below.
    user += (st.utime + st.cutime) * TICK;
    sys += (st.stime + st.cstime) * TICK;
    stack.push(...(byParent.get(st.pid) ?? []));
  }
  return { user, sys };
}
