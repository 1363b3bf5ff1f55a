/**
 * The kernel's last line of defence at shutdown: every process below the kernel
 * (the executor, and whatever cells spawned: `sleep`, pools, shells) is listed
 * from /proc before the executor stops, and any still alive afterwards is killed.
 * On systems without /proc the list is empty and only the executor's own
 * shutdown applies.
 */
import { readdirSync, readFileSync } from "node:fs";

/** Pids of the live descendants of `pid` (empty where /proc is unavailable). */
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
    const ppid = parentOf(entry);
    if (ppid === undefined) continue;
    const list = children.get(ppid) ?? [];
    list.push(Number(entry));
    children.set(ppid, list);
  }
  const out: number[] = [];
  const queue = [pid];
  while (queue.length > 0) {
    for (const child of children.get(queue.shift()!) ?? []) {
      out.push(child);
      queue.push(child);
    }
  }
  return out;
}

function parentOf(entry: string): number | undefined {
  try {
    const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
    // The command name may hold spaces and parentheses; fields resume after the last ")".
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return fields[0] === "Z" ? undefined : Number(fields[1]);
  } catch {
    return undefined;
  }
}

/** SIGTERMs the `pids` still alive, then SIGKILLs those left after `graceMs`. Returns how many were signalled. */
export async function killAll(pids: number[], graceMs: number): Promise<number> {
  const alive = pids.filter(isAlive);
  for (const pid of alive) signal(pid, "SIGTERM");
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline && alive.some(isAlive)) await new Promise((r) => setTimeout(r, 20));
  for (const pid of alive) if (isAlive(pid)) signal(pid, "SIGKILL");
  return alive.length;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2)[0] !== "Z";
  } catch {
    // No /proc: trust kill(0).
    return true;
  }
}

function signal(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(pid, sig);
  } catch {
    // Already gone.
  }
}
