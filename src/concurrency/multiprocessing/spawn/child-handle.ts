/**
 * One child process running the Spindle child runtime: its IPC channel, its
 * output (written under the cell that started it), shared-object requests
 * (served by the hub), and how it ended.
 */
import { fork, type ChildProcess } from "node:child_process";
import { constants } from "node:os";
import { join } from "node:path";
import { writeStream, type CellContext } from "../../../runtime/cell-context";
import { childHeapArgs } from "../../../runtime/resources";
import { dropCaller, isObjectMessage, newCaller, serveMessage, type Caller } from "../hub";
import type { ToChild, ToParent } from "../messages";
import { Outbox, unbatch, type Batch } from "../outbox";
import { fifoDir } from "../sync/fifo-files";
import { isTimelineMessage, linkChildTimeline } from "../../../recorder/process-link";

/** The child runtime's entry file (compiled). */
export const CHILD_MAIN = join(__dirname, "..", "..", "multiprocessing-child", "main.js");

/** How a child ended. */
export interface ExitInfo {
  /** Python's exitcode: the exit status, or minus the signal number. */
  exitCode: number;
  /** The signal name when killed by one. */
  signal: NodeJS.Signals | null;
}

/** A forked child runtime. */
export class ChildHandle {
  readonly proc: ChildProcess;
  readonly caller: Caller = newCaller();
  /** Resolves when the child runtime says it is ready. */
  readonly ready: Promise<void>;
  /** Resolves when the child has exited and its output pipes are drained. */
  readonly exited: Promise<ExitInfo>;
  /** Where its output goes (set when a Process or pool takes it). */
  cell: CellContext | undefined;
  /** Messages other than output and shared-object requests. */
  onMessage: (msg: ToParent) => void = () => undefined;
  exitInfo: ExitInfo | undefined;
  #isReady = false;
  #pending: ToChild[] = [];
  readonly #outbox = new Outbox<ToChild>((m) => {
    if (this.proc.connected) this.proc.send(m);
  });
  #refs = true;

  constructor() {
    fifoDir(); // children inherit SPINDLE_FIFO_DIR, so they can make and open lock FIFOs.
    this.proc = fork(CHILD_MAIN, [], {
      stdio: ["ignore", "pipe", "pipe", "ipc"],
      serialization: "advanced",
      execArgv: childHeapArgs(), // MEM_LIMIT caps each child's heap
      // The child checks its parent by this pid: if this process dies while the child still boots, the
      // child's process.ppid is already its new parent's by the time its code runs.
      env: { ...process.env, SPINDLE_PARENT_PID: String(process.pid) },
    });
    let markReady: () => void = () => undefined;
    this.ready = new Promise((resolve) => (markReady = resolve));
    this.proc.stdout?.setEncoding("utf8").on("data", (t: string) => writeStream("stdout", t, this.cell));
    this.proc.stderr?.setEncoding("utf8").on("data", (t: string) => writeStream("stderr", t, this.cell));
    // Timeline: the child follows this process's recording and sends its events (tagged messages, skipped below).
    const unlinkTimeline = linkChildTimeline(this.proc);
    this.proc.once("close", unlinkTimeline);
    this.proc.on("message", (raw: ToParent | Batch<ToParent>) =>
      isTimelineMessage(raw)
        ? undefined
        : unbatch(raw, (msg) => {
            if (msg.t === "out") writeStream(msg.name, msg.text, this.cell);
            else if (isObjectMessage(msg)) serveMessage(msg, this.caller, (m) => this.send(m));
            else if (msg.t === "ready") {
              this.#isReady = true;
              for (const m of this.#pending.splice(0)) this.#outbox.push(m);
              markReady();
            } else this.onMessage(msg);
          }),
    );
    this.proc.on("error", () => undefined); // 'exit'/'close' report the outcome.
    this.exited = new Promise((resolve) => {
      this.proc.once("close", (code, signal) => {
        const sigNum = signal ? ((constants.signals as Record<string, number>)[signal] ?? 0) : 0;
        this.exitInfo = { exitCode: signal ? -sigNum : (code ?? 0), signal };
        dropCaller(this.caller);
        markReady();
        resolve(this.exitInfo);
      });
    });
  }

  /** The child's pid. */
  get pid(): number {
    return this.proc.pid ?? -1;
  }

  /** True until the child has exited. */
  get alive(): boolean {
    return this.exitInfo === undefined && this.proc.exitCode === null && this.proc.signalCode === null;
  }

  /** Sends a message (queued until the runtime is ready); `fold` may take it into the last unsent one. */
  send(msg: ToChild, fold?: (last: ToChild) => boolean): void {
    if (!this.alive || !this.proc.connected) return;
    if (!this.#isReady) this.#pending.push(msg);
    else if (!fold || !this.#outbox.fold(fold)) this.#outbox.push(msg);
  }

  /** Sends what is queued now rather than at the end of this turn (a start waits on nothing else). */
  flush(): void {
    if (this.#isReady) this.#outbox.flush();
  }

  /** Sends a signal (no-op once exited). */
  signal(sig: NodeJS.Signals): void {
    if (this.alive) this.proc.kill(sig);
  }

  /** Keeps (true) or stops keeping (false) a plain Node script alive while this child exists. */
  setRef(ref: boolean): void {
    if (this.#refs === ref) return;
    this.#refs = ref;
    const handles = [this.proc, this.proc.channel, this.proc.stdout, this.proc.stderr] as (
      | { ref?(): void; unref?(): void }
      | null
      | undefined
    )[];
    for (const h of handles) {
      if (ref) h?.ref?.();
      else h?.unref?.();
    }
  }
}
