/**
 * `Process` (Python's `multiprocessing.Process`): runs a target function — or
 * the `run()` of a subclass — in a real OS process. Code travels as source or
 * as a module export; arguments and the subclass's fields arrive as copies
 * (each process has its own memory, as after a fork), except Spindle's shared
 * objects (Queue, Pipe, Lock, Manager proxies…), which stay shared.
 */
import { inspect } from "node:util";
import { currentCell, writeStream, type CellContext } from "../../runtime/cell-context";
import { timeScale } from "../time/scale";
import { checkSeconds, scaledMs } from "../time/scale";
import { ProcessStateError } from "./errors";
import { moduleFilesOf, packCall } from "../shipping";
import { childIdentity, hubLink } from "./link";
import type { ChildHandle, ExitInfo } from "./spawn/child-handle";
import { preloadInSpares, takeChild } from "./spawn/spares";
import { beginSpan, endSpan } from "../../recorder/record";

/** Options of `new Process(...)` (Python's keyword arguments). */
export interface ProcessOptions {
  /** The function to run in the child (its return value is ignored, as in Python). */
  target?: (...args: never[]) => unknown;
  /** Positional arguments for `target` (copied to the child). */
  args?: unknown[];
  /** Python's keyword arguments: passed to `target` as one extra, last argument. */
  kwargs?: Record<string, unknown>;
  /** A name for the process (default "Process-N"). */
  name?: string;
  /** A daemon child is killed when its parent's cell is interrupted or the kernel stops, and never keeps a script alive. */
  daemon?: boolean;
}

let counter = 0;
/** Set in a child to the Process object whose run() is executing there. */
let runningHere: Process | undefined;

function noop(): void {}

/** Internal: the child runtime marks the Process object running in this child (and its name). */
export function markRunningHere(p: Process, name: string): void {
  stateOf(p).name = name;
  runningHere = p;
}

/** Per-object state, kept off the instance's own enumerable fields (those travel to the child). */
interface ProcessState {
  name: string;
  daemon: boolean;
  target: ProcessOptions["target"];
  args: unknown[];
  kwargs: Record<string, unknown> | undefined;
  child: ChildHandle | undefined;
  cell: CellContext | undefined;
  requestedKill: boolean;
  finishedWithError: boolean;
  joinWaiters: number;
}

const states = new WeakMap<object, ProcessState>();

function stateOf(p: object): ProcessState {
  let s = states.get(p);
  if (!s) {
    // An instance rebuilt in a child without running its constructor: give it a fresh state.
    s = newState({});
    states.set(p, s);
  }
  return s;
}

function newState(options: ProcessOptions): ProcessState {
  return {
    name: options.name ?? `Process-${++counter}`,
    daemon: options.daemon ?? false,
    target: options.target,
    args: options.args ?? [],
    kwargs: options.kwargs,
    child: undefined,
    cell: undefined,
    requestedKill: false,
    finishedWithError: false,
    joinWaiters: 0,
  };
}

/** A real child process. */
export class Process {
  /** Creates (does not start) a process. */
  constructor(options: ProcessOptions = {}) {
    states.set(this, newState(options));
  }

  /** The process name. */
  get name(): string {
    return stateOf(this).name;
  }
  set name(value: string) {
    stateOf(this).name = String(value);
  }

  /** Whether this is a daemon process (set before start()). */
  get daemon(): boolean {
    return stateOf(this).daemon;
  }
  set daemon(value: boolean) {
    if (stateOf(this).child)
      throw new ProcessStateError("daemon can only be set before start().", "ERR_SPINDLE_PROCESS_STARTED");
    stateOf(this).daemon = Boolean(value);
  }

  /** The OS process id (undefined before start(); this process's pid inside the child). */
  get pid(): number | undefined {
    if (runningHere === this) return process.pid;
    return stateOf(this).child?.pid;
  }

  /** Python's alias of pid. */
  get ident(): number | undefined {
    return this.pid;
  }

  /** null while running (or before start); then the exit status, or minus the signal number (−15 after terminate()). */
  get exitCode(): number | null {
    return stateOf(this).child?.exitInfo?.exitCode ?? null;
  }

  /** What the child runs; override in a subclass (the default calls `target(...args, kwargs?)`). */
  run(): unknown {
    if (!stateOf(this).target) return undefined;
    const args = stateOf(this).kwargs ? [...stateOf(this).args, stateOf(this).kwargs] : stateOf(this).args;
    return (stateOf(this).target as (...a: unknown[]) => unknown)(...args);
  }

  /** Starts the child (from a warm spare when one is ready). Call once. */
  start(): void {
    if (stateOf(this).child)
      throw new ProcessStateError(
        "A process can only be started once; create a new Process to run again.",
        "ERR_SPINDLE_PROCESS_STARTED",
      );
    if (hubLink() || runningHere) {
      throw new ProcessStateError(
        "Starting a Process from inside a child process is not supported; start every process from the notebook (or main script).",
        "ERR_SPINDLE_NESTED_PROCESS",
      );
    }
    const st = stateOf(this);
    const isSubclass = this.run !== Process.prototype.run;
    // Timeline: packing time (the shipping cost) could be recorded here.
    const call = isSubclass
      ? packCall(this, [], undefined, {
          for: "process",
          what: `The Process subclass ${this.constructor.name} (${st.name})`,
          method: "run",
        })
      : packCall(st.target ?? noop, st.args, st.kwargs, { for: "process", what: `The target of ${st.name}` });
    const child = takeChild();
    stateOf(this).child = child;
    stateOf(this).cell = currentCell();
    child.cell = stateOf(this).cell;
    child.setRef(!stateOf(this).daemon);
    child.onMessage = (msg) => {
      if (msg.t === "finished" && !msg.ok) stateOf(this).finishedWithError = true;
    };
    // Timeline: a process-start event belongs here (pid, name, cell).
    child.send({ t: "run", name: st.name, timeScale: timeScale(), call });
    child.flush();
    // Loading the target's module costs a fresh child milliseconds: let the next spares do it while idle.
    preloadInSpares(moduleFilesOf(call));
    const untrack = stateOf(this).cell?.track({ interrupt: () => this.kill() });
    const done = child.exited.then((info) => {
      untrack?.();
      this.report(info);
    });
    if (!stateOf(this).daemon) stateOf(this).cell?.hold(done);
  }

  /** Writes a note under the starting cell when the child ended abnormally. */
  private report(info: ExitInfo): void {
    if (stateOf(this).requestedKill) return;
    if (info.signal) {
      const hint =
        info.signal === "SIGKILL"
          ? " — killed from outside, often by the system when memory ran out"
          : info.signal === "SIGABRT"
            ? " — the JavaScript heap may have run out of memory"
            : "";
      writeStream(
        "stderr",
        `${stateOf(this).name} (pid ${this.pid}) was killed by ${info.signal}${hint}; exitCode ${info.exitCode}.\n`,
        stateOf(this).cell,
      );
    } else if (info.exitCode !== 0 && !stateOf(this).finishedWithError) {
      writeStream(
        "stderr",
        `${stateOf(this).name} (pid ${this.pid}) exited with code ${info.exitCode}.\n`,
        stateOf(this).cell,
      );
    }
  }

  /** Waits until the process ends, or `timeout` seconds pass (then resolves anyway; check isAlive()). */
  async join(timeout: number | null = null): Promise<void> {
    const child = stateOf(this).child;
    if (!child)
      throw new ProcessStateError("join() before start(): start the process first.", "ERR_SPINDLE_PROCESS_NOT_STARTED");
    if (runningHere === this) throw new ProcessStateError("A process cannot join itself.", "ERR_SPINDLE_JOIN_SELF");
    if (!child.alive) {
      await child.exited;
      return;
    }
    stateOf(this).joinWaiters++;
    child.setRef(true); // An awaited join keeps a script alive even for a daemon.
    const span = beginSpan("wait", `join ${stateOf(this).name}`); // hatched on a recorded timeline
    try {
      if (timeout === null) {
        await child.exited;
        return;
      }
      const ms = scaledMs(checkSeconds(timeout, "Process.join timeout"));
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([child.exited, new Promise<void>((r) => (timer = setTimeout(r, ms)))]);
      clearTimeout(timer);
    } finally {
      endSpan(span, "wake");
      if (--stateOf(this).joinWaiters === 0 && stateOf(this).daemon) child.setRef(false);
    }
  }

  /** True from start() until the child exits. */
  isAlive(): boolean {
    if (runningHere === this) return true;
    return stateOf(this).child?.alive ?? false;
  }

  /** Asks the child to stop (SIGTERM); exitCode becomes −15. */
  terminate(): void {
    stateOf(this).requestedKill = true;
    stateOf(this).child?.signal("SIGTERM");
  }

  /** Stops the child at once (SIGKILL); exitCode becomes −9. */
  kill(): void {
    stateOf(this).requestedKill = true;
    stateOf(this).child?.signal("SIGKILL");
  }

  /** Python's close(): releases the Process object; refuses while the child still runs. */
  close(): void {
    if (this.isAlive())
      throw new ProcessStateError(
        "Cannot close a process while it is still running; join() or terminate() it first.",
        "ERR_SPINDLE_PROCESS_RUNNING",
      );
  }

  /** What console.log shows: the same as toString(), as Python's repr. */
  [inspect.custom](): string {
    return this.toString();
  }

  /** A short description such as `<Process name='Process-1' pid=123 started>`. */
  toString(): string {
    const state = !stateOf(this).child ? "initial" : this.isAlive() ? "started" : `stopped exitcode=${this.exitCode}`;
    return `<${this.constructor.name} name='${stateOf(this).name}'${this.pid ? ` pid=${this.pid}` : ""} ${state}${stateOf(this).daemon ? " daemon" : ""}>`;
  }
}

/** Information about the process running this code (Python's `current_process()`). */
export interface ProcessInfo {
  name: string;
  pid: number;
  daemon: boolean;
  ident: number;
}

/** The process running this code: the child's Process object inside a child, "MainProcess" otherwise. */
export function currentProcess(): Process | ProcessInfo {
  if (runningHere) return runningHere;
  const who = childIdentity();
  return { name: who?.name ?? "MainProcess", pid: process.pid, ident: process.pid, daemon: false };
}

/** The parent of this process, or null in the main process (Python's `parent_process()`). */
export function parentProcess(): ProcessInfo | null {
  const who = childIdentity();
  if (!who || who.kind === "thread") return null;
  return { name: "MainProcess", pid: who.parentPid, ident: who.parentPid, daemon: false };
}

/** This process's id (Python's `os.getpid()`). */
export function getpid(): number {
  return process.pid;
}

/** The parent process's id (Python's `os.getppid()`); in a child, the process whose cell started it. */
export function getppid(): number {
  return process.ppid;
}
