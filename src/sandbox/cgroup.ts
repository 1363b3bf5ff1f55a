/**
 * A pids cgroup per sandbox, where this machine lets the grader make one (root
 * with a writable pids hierarchy, v1 or v2). The kernel then refuses every fork
 * past the cap and counts each refusal in `pids.events`: a fork bomb is seen for
 * certain, however briefly it touched the cap, where a sampled task count can
 * miss a bomb that churns just below it or burns out between two samples.
 */
import { mkdirSync, readFileSync, rmdirSync, writeFileSync, chownSync } from "node:fs";
import { join } from "node:path";
import { cgroupPaths } from "../runtime/resources";

const MOUNT = "/sys/fs/cgroup";
let counter = 0;

/** The folder new pids cgroups go under (this process's own pids cgroup), or why there is none. */
export function pidsHierarchy(): { dir?: string; detail: string } {
  const paths = cgroupPaths();
  const candidates: { dir: string; kind: string }[] = [];
  for (const [controllers, rel] of paths) {
    if (controllers.split(",").includes("pids")) candidates.push({ dir: join(MOUNT, controllers, rel), kind: "v1" });
  }
  const v2 = paths.get("");
  if (v2 !== undefined) candidates.push({ dir: join(MOUNT, v2), kind: "v2" });
  const why: string[] = [];
  for (const { dir, kind } of candidates) {
    // Made for real and removed: permissions, read-only mounts and undelegated controllers all show here.
    const probe = join(dir, `spindle-probe-${process.pid}-${counter++}`);
    try {
      mkdirSync(probe);
    } catch (err) {
      why.push(`${kind} ${dir}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
      continue;
    }
    try {
      readFileSync(join(probe, "pids.events"), "utf8");
      writeFileSync(join(probe, "pids.max"), "1");
      return { dir, detail: `cgroup ${kind} pids controller at ${dir}` };
    } catch (err) {
      why.push(`${kind} ${dir}: no pids controller (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
    } finally {
      tryRmdir(probe);
    }
  }
  return { detail: `no writable pids cgroup (${why.join("; ") || "none mounted"})` };
}

/** One sandbox's pids cgroup: a hard cap on its tasks, and the count of forks the cap refused. */
export class PidsGroup {
  private constructor(readonly dir: string) {}

  /** Makes a cgroup capped at `max` tasks under `parent`, joinable by `uid`; undefined when that fails. */
  static create(parent: string, max: number, uid: number | undefined): PidsGroup | undefined {
    const dir = join(parent, `spindle-${process.pid}-${counter++}`);
    try {
      mkdirSync(dir);
      writeFileSync(join(dir, "pids.max"), String(max));
      // The sandbox's first process moves itself in before it runs anything (see `wrap`).
      if (uid !== undefined) chownSync(join(dir, "cgroup.procs"), uid, uid);
      return new PidsGroup(dir);
    } catch {
      tryRmdir(dir);
      return undefined;
    }
  }

  /** `argv` run from inside the cgroup: a shell joins it, then execs `argv`, so no fork escapes the cap. */
  wrap(argv: string[]): string[] {
    return ["/bin/sh", "-c", 'echo $$ > "$0" && exec "$@"', join(this.dir, "cgroup.procs"), ...argv];
  }

  /** How many forks the cap has refused so far. */
  refusals(): number {
    const text = read(join(this.dir, "pids.events"));
    return Number(/^max (\d+)/m.exec(text)?.[1] ?? 0);
  }

  /** The processes in the cgroup now (also those that left the sandbox's process tree). */
  members(): number[] {
    return read(join(this.dir, "cgroup.procs"))
      .split("\n")
      .filter((l) => l !== "")
      .map(Number);
  }

  /** Removes the cgroup; it must be empty, so callers kill its members first (retried briefly while they exit). */
  remove(): boolean {
    for (let i = 0; i < 50; i++) {
      if (tryRmdir(this.dir)) return true;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 10);
    }
    return false;
  }
}

function read(path: string): string {
  try {
    return readFileSync(path, "utf8");
  } catch {
    return "";
  }
}

function tryRmdir(dir: string): boolean {
  try {
    rmdirSync(dir);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "ENOENT";
  }
}
