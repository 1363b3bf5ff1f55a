/**
 * What isolation this machine allows: a namespace sandbox through bubblewrap
 * (tried for real, the way grading will use it), Node's permission model,
 * and a writable pids cgroup. Probed once per process and cached.
 */
import { spawnSync } from "node:child_process";
import { accessSync, constants, existsSync, lstatSync, readlinkSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { pidsHierarchy } from "./cgroup";
import { SandboxError } from "./errors";

/** Isolation levels, strongest first. */
export type IsolationLevel = "namespaces" | "permission" | "none";

/** What `--isolation` accepts: a level, "auto" (the strongest available) or "strict" (namespaces or refuse). */
export type IsolationRequest = IsolationLevel | "auto" | "strict";

/** The result of probing the machine. */
export interface SandboxSupport {
  /** bubblewrap found and able to create user, PID, network and mount namespaces. */
  namespaces: { ok: boolean; detail: string; bwrap?: string };
  /** Node's --experimental-permission accepted by this Node. */
  permission: { ok: boolean; detail: string };
  /** A writable pids cgroup (v1 or v2) under which each sandbox gets its own, capping its tasks exactly. */
  pidsCgroup: { ok: boolean; detail: string; dir?: string };
  /** Sandboxes run as their own unprivileged uid (this process is root). */
  dropsUid: boolean;
  /** util-linux `prlimit`, which applies the rlimits inside the sandbox. */
  prlimit?: string;
}

let cached: SandboxSupport | undefined;

/** The uid/gid a sandbox started from this process runs as (root only: one per grading process, never shared). */
export function sandboxUid(): number | undefined {
  if (typeof process.getuid !== "function" || process.getuid() !== 0) return undefined;
  // Another uid must be able to read Node and Spindle (a checkout under /root is not): else stay root,
  // mapped inside the user namespace with every capability dropped.
  if (!readableByOthers(process.execPath) || !readableByOthers(join(spindleRoot(), "package.json"))) return undefined;
  return 200_000 + (process.pid % 100_000);
}

/** The checkout or installed package this code runs from. */
export function spindleRoot(): string {
  return resolve(__dirname, "..", "..", "..");
}

/** True when users other than the owner may read `file` and pass through every folder above it. */
function readableByOthers(file: string): boolean {
  try {
    if ((statSync(file).mode & 0o004) === 0) return false;
    for (let dir = dirname(resolve(file)); ; dir = dirname(dir)) {
      if ((statSync(dir).mode & 0o001) === 0) return false;
      if (dirname(dir) === dir) return true;
    }
  } catch {
    return false;
  }
}

/** Probes this machine once (bwrap is run for real, ~10 ms). */
export function sandboxSupport(): SandboxSupport {
  if (cached) return cached;
  // SPINDLE_BWRAP names another bubblewrap (or a missing one, to see how grading behaves without it).
  const bwrap = process.env.SPINDLE_BWRAP
    ? isExecutable(process.env.SPINDLE_BWRAP)
      ? process.env.SPINDLE_BWRAP
      : undefined
    : findExecutable("bwrap");
  const prlimit = findExecutable("prlimit");
  const uid = sandboxUid();
  let namespaces: SandboxSupport["namespaces"];
  if (!bwrap) {
    namespaces = { ok: false, detail: "bubblewrap (bwrap) is not installed: apt-get install bubblewrap" };
  } else {
    const probe = spawnSync(
      bwrap,
      [
        "--unshare-all",
        "--unshare-user",
        "--disable-userns",
        "--die-with-parent",
        "--cap-drop",
        "ALL",
        ...systemBinds(),
        "--proc",
        "/proc",
        "--dev",
        "/dev",
        "--tmpfs",
        "/tmp",
        "--",
        "/bin/sh",
        "-c",
        "exit 0",
      ],
      { encoding: "utf8", timeout: 10_000, uid, gid: uid },
    );
    namespaces =
      probe.status === 0
        ? { ok: true, detail: `bubblewrap ${bwrapVersion(bwrap)}: user, PID, network, mount and IPC namespaces`, bwrap }
        : {
            ok: false,
            detail: `bubblewrap cannot create namespaces here (${(probe.stderr || String(probe.error ?? probe.status)).trim()}); user namespaces may be disabled (sysctl kernel.unprivileged_userns_clone) or blocked by a seccomp profile`,
          };
  }
  const perm = spawnSync(process.execPath, ["--experimental-permission", "--allow-fs-read=*", "-e", "0"], {
    encoding: "utf8",
    timeout: 10_000,
  });
  const permission =
    perm.status === 0
      ? { ok: true, detail: `Node ${process.version} permission model (--experimental-permission)` }
      : { ok: false, detail: `Node ${process.version} has no permission model (Node 20 or later needed)` };
  const pids = pidsHierarchy();
  cached = {
    namespaces,
    permission,
    pidsCgroup: { ok: pids.dir !== undefined, detail: pids.detail, dir: pids.dir },
    dropsUid: uid !== undefined,
    prlimit,
  };
  return cached;
}

/** The level a request resolves to on this machine; throws when it cannot be had. */
export function resolveIsolation(
  request: IsolationRequest,
  support: SandboxSupport = sandboxSupport(),
): IsolationLevel {
  switch (request) {
    case "none":
      return "none";
    case "namespaces":
    case "strict":
      if (support.namespaces.ok) return "namespaces";
      throw new SandboxError(
        `--isolation ${request} needs a namespace sandbox, and this machine has none: ${support.namespaces.detail}. ` +
          "Install bubblewrap and allow user namespaces, grade inside a container (see deploy/), or choose --isolation permission.",
        "ERR_SANDBOX_UNAVAILABLE",
      );
    case "permission":
      if (support.permission.ok) return "permission";
      throw new SandboxError(
        `--isolation permission needs Node's permission model: ${support.permission.detail}.`,
        "ERR_SANDBOX_UNAVAILABLE",
      );
    case "auto":
      if (support.namespaces.ok) return "namespaces";
      if (support.permission.ok) return "permission";
      throw new SandboxError(
        "No sandbox is available (no bubblewrap, no Node permission model); pass --isolation none to grade without one.",
        "ERR_SANDBOX_UNAVAILABLE",
      );
    default:
      throw new SandboxError(
        `--isolation takes auto, strict, namespaces, permission or none (got "${String(request)}").`,
        "ERR_SANDBOX_BAD_LEVEL",
      );
  }
}

/** One line per level for `spindle grade` and `spindle doctor`. */
export function describeIsolation(level: IsolationLevel, support: SandboxSupport = sandboxSupport()): string {
  const who = support.dropsUid ? ", own uid" : "";
  const caps = support.pidsCgroup.ok ? "pids cgroup, rlimits + watchdog" : "rlimits + watchdog";
  switch (level) {
    case "namespaces":
      return `isolation: namespaces (bubblewrap: own PID, network, mount, IPC namespaces${who}; ${caps})`;
    case "permission":
      return (
        `isolation: permission (Node permission model: files limited to the sandbox folder, no child programs${who}; ` +
        "NOT isolated: network, other processes' view)"
      );
    case "none":
      return "isolation: none (submissions run with your rights: use only for trusted notebooks)";
  }
}

/** Read-only binds of the system's runtime (/usr, its merged-/usr links, the few /etc files Node reads). */
export function systemBinds(): string[] {
  const args = ["--ro-bind", "/usr", "/usr"];
  for (const dir of ["/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32"]) {
    let target: string | undefined;
    try {
      target = readLink(dir);
    } catch {
      continue; // not there
    }
    if (target !== undefined) args.push("--symlink", target, dir);
    else args.push("--ro-bind", dir, dir);
  }
  for (const file of [
    "/etc/ld.so.cache",
    "/etc/localtime",
    "/etc/passwd",
    "/etc/group",
    "/etc/nsswitch.conf",
    "/etc/ssl",
  ]) {
    if (existsSync(file)) args.push("--ro-bind", file, file);
  }
  return args;
}

function readLink(path: string): string | undefined {
  return lstatSync(path).isSymbolicLink() ? readlinkSync(path) : undefined;
}

function findExecutable(name: string): string | undefined {
  for (const dir of ["/usr/bin", "/usr/local/bin", "/bin", ...(process.env.PATH ?? "").split(":")]) {
    if (dir && isExecutable(`${dir}/${name}`)) return `${dir}/${name}`;
  }
  return undefined;
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function bwrapVersion(bwrap: string): string {
  const out = spawnSync(bwrap, ["--version"], { encoding: "utf8", timeout: 5000 });
  return (out.stdout ?? "").trim().replace(/^bubblewrap\s*/, "") || "?";
}
