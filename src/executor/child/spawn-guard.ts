/**
 * At the permission level (Node's permission model, no namespaces) cells may
 * not start programs, yet Spindle's `Process` and process `Pool` start Node
 * children running Spindle's child runtime. Node allows child processes all or
 * nothing (`--allow-child-process`), so the executor is given it, and this
 * guard, preloaded (`node -r`) into the executor, each of its worker threads
 * and each child, lets exactly one kind of spawn through: this Node, running
 * Spindle's child runtime, with this process's permission flags (so the child
 * is held by the same model and the same guards) and without NODE_OPTIONS.
 * Anything else fails as a program the user may not run (EACCES). One program
 * is let through too: `mkfifo`, which cross-process locks need (Node cannot
 * make a FIFO), by its absolute path, only for new paths in this process's
 * temporary folder, with an empty environment.
 *
 * Every way to start a program goes through the native `spawn` of the process
 * handle's prototype (asynchronous spawns, `ChildProcess` made by hand) or
 * through the module's synchronous functions; the first is replaced on the
 * prototype and the others on the module, neither writable nor configurable.
 * `process.binding`, the other way to the natives, is denied by the model.
 */
import * as childProcess from "node:child_process";
import { syncBuiltinESMExports } from "node:module";
import { existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { isAbsolute, join, normalize } from "node:path";

/** libuv's EACCES: ChildProcess reports it as an 'error' event, like a program the user may not run. */
const UV_EACCES = -13;
/** The child runtime's entry, the one script a child may run (beside this file's folder, as compiled). */
const CHILD_MAIN = join(__dirname, "..", "..", "concurrency", "multiprocessing-child", "main.js");
/** Flags a child may ask for: the heap sizes Spindle sets from the memory limit. */
const ASKABLE = /^--max-(old|semi)-space-size=\d+$/;
/** Environment a child may get from Node: the IPC channel's. Every other NODE_* variable could change its flags. */
const NODE_ENV_KEPT = /^NODE_CHANNEL_(FD|SERIALIZATION_MODE)=/;

interface SpawnOptions {
  file?: unknown;
  args?: unknown;
  envPairs?: unknown;
}

type RawSpawn = (this: object, options: SpawnOptions) => number;

/** Installs the guard on this thread (idempotent; a no-op where the handle's `spawn` is already pinned). */
export function guardSpawn(): void {
  const execPath = process.execPath;
  const inherited = permissionArgs(process.execArgv);
  const probe = new childProcess.ChildProcess() as unknown as { _handle?: { close(): void } };
  const handle = probe._handle;
  if (!handle) return;
  const proto = Object.getPrototypeOf(handle) as { spawn: RawSpawn };
  handle.close();
  const raw = proto.spawn;
  if (Object.getOwnPropertyDescriptor(proto, "spawn")?.configurable === false) return;
  const guarded = function spawn(this: object, options: SpawnOptions): number {
    const allowed = childOf(options, execPath, inherited);
    return allowed ? raw.call(this, allowed) : UV_EACCES;
  };
  Object.defineProperty(proto, "spawn", { value: guarded, writable: false, configurable: false, enumerable: false });
  const exportsObject = require("node:child_process") as Record<string, unknown>;
  const replacements: Record<string, Function> = {
    spawnSync: refuseSync("spawnSync"),
    execSync: refuseSync("execSync"),
    execFileSync: fifosOnly(childProcess.execFileSync),
  };
  for (const [name, value] of Object.entries(replacements)) {
    Object.defineProperty(exportsObject, name, {
      value,
      writable: false,
      configurable: false,
      enumerable: true,
    });
  }
  syncBuiltinESMExports();
}

/** The spawn options to use instead of `options` when they start Spindle's child runtime; undefined otherwise. */
function childOf(options: SpawnOptions, execPath: string, inherited: string[]): SpawnOptions | undefined {
  const { file, args, envPairs } = options;
  if (file !== execPath || !Array.isArray(args) || !args.every((a) => typeof a === "string")) return undefined;
  const script = args.findIndex((a, i) => i > 0 && !a.startsWith("-"));
  if (script < 0 || args[script] !== CHILD_MAIN) return undefined;
  const asked = args.slice(1, script);
  if (!asked.every((a) => ASKABLE.test(a))) return undefined;
  const env = Array.isArray(envPairs)
    ? envPairs.filter((p) => typeof p === "string" && (!p.startsWith("NODE_") || NODE_ENV_KEPT.test(p)))
    : envPairs;
  return { ...options, args: [args[0], ...inherited, ...asked, CHILD_MAIN, ...args.slice(script + 1)], envPairs: env };
}

/** The flags that hold a process in the permission model and preload its guards, from `execArgv`. */
function permissionArgs(execArgv: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < execArgv.length; i++) {
    const a = execArgv[i]!;
    if ((a === "--require" || a === "-r") && i + 1 < execArgv.length) out.push(a, execArgv[++i]!);
    else if (/^--(experimental-permission|permission|allow-[\w-]+(=.*)?|disable-warning=.*|require=.*)$/.test(a))
      out.push(a);
  }
  return out;
}

/** `execFileSync` for `mkfifo -m 600 PATH…` with every path new and inside the temporary folder; refused otherwise. */
function fifosOnly(raw: typeof childProcess.execFileSync): (file: unknown, args?: unknown) => unknown {
  // An absolute path, fixed now: a cell may change PATH or write its own "mkfifo" (the model forbids looking first).
  const programs = ["/usr/bin/mkfifo", "/bin/mkfifo"];
  const tmp = tmpdir();
  const refuse = refuseSync("execFileSync");
  return (file, args) => {
    const paths = Array.isArray(args) && args[0] === "-m" && args[1] === "600" ? args.slice(2) : [];
    const ok =
      file === "mkfifo" &&
      paths.length > 0 &&
      paths.every(
        (p) => typeof p === "string" && isAbsolute(p) && normalize(p) === p && p.startsWith(`${tmp}/`) && isNew(p),
      );
    if (!ok) return refuse();
    let failure: unknown;
    for (const program of programs) {
      try {
        return raw(program, ["-m", "600", ...(paths as string[])], { stdio: "ignore", env: {} });
      } catch (err) {
        failure = err;
      }
    }
    throw failure;
  };
}

function isNew(path: string): boolean {
  try {
    return !existsSync(path);
  } catch {
    return false; // not readable under the model: not a place for a FIFO
  }
}

function refuseSync(name: string): () => never {
  return () => {
    const err = new Error(
      `${name} is not allowed here: this notebook runs in the grading sandbox, where cells may not start programs ` +
        "(Spindle's Process and Pool still work).",
    ) as NodeJS.ErrnoException;
    err.code = "EACCES";
    throw err;
  };
}

if ((process as { permission?: unknown }).permission) guardSpawn();
