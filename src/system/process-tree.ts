/**
 * Process trees read from /proc (Linux; elsewhere no descendants are found):
 * the kernel's last line of defence at shutdown lists every process below it
 * (the executor, and whatever cells spawned: `sleep`, pools, shells) and kills
 * those still alive; the client and `spindle doctor` check that a kernel left
 * nothing behind; the kernel watches the process that started it.
 */
import { readdirSync, readFileSync } from "node:fs";

/** Pids of the live (non-zombie) descendants of `pid` (empty where /proc is unavailable). */
export function descendantsOf(pid: number): number[] {
  let entries: string[];
  try {
    entries = readdirSync("/proc");
  } catch {
    return [];
  }
  const children = new Map<number, number[]>();
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    const fields = statFields(entry);
    if (fields === undefined || fields[0] === "Z") continue;
    const ppid = Number(fields[1]);
    const list = children.get(ppid) ?? [];
    list.push(Number(entry));
    children.set(ppid, list);
  }
  const out: number[] = [];
  const queue = [pid];
  for (let next = queue.shift(); next !== undefined; next = queue.shift()) {
    for (const child of children.get(next) ?? []) {
      out.push(child);
      queue.push(child);
    }
  }
  return out;
}

/**
 * True while `pid` is a live, non-zombie process. A process of another user
 * (EPERM) counts as alive; without /proc, kill(0) alone decides.
 */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "EPERM") return false;
  }
  const fields = statFields(pid);
  return fields === undefined ? !hasProc() : fields[0] !== "Z";
}

/** Waits until none of `pids` lives; false if some still do after `ms` milliseconds. */
export async function waitGone(pids: number[], ms: number, pollMs = 20): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (!pids.some(isAlive)) return true;
    await new Promise((r) => setTimeout(r, pollMs));
  }
  return !pids.some(isAlive);
}

/** SIGTERMs the `pids` still alive, then SIGKILLs those left after `graceMs`. Returns how many were signalled. */
export async function killAll(pids: number[], graceMs: number): Promise<number> {
  const alive = pids.filter(isAlive);
  for (const pid of alive) signal(pid, "SIGTERM");
  await waitGone(alive, graceMs);
  for (const pid of alive) if (isAlive(pid)) signal(pid, "SIGKILL");
  return alive.length;
}

/** Fields of /proc/PID/stat after the command name: state, then ppid (undefined when gone or without /proc). */
function statFields(pid: number | string): string[] | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // The command name may hold spaces and parentheses: fields start after the last ")".
    return stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  } catch {
    return undefined;
  }
}

function hasProc(): boolean {
  try {
    readFileSync("/proc/self/stat");
    return true;
  } catch {
    return false;
  }
}

function signal(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(pid, sig);
  } catch {
    // Already gone.
  }
}
