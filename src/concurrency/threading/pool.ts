/**
 * The warm pool of worker threads behind `Thread`. Starting a `Worker` costs
 * ~20 ms and more (a Python thread ~0.1 ms), so spare workers are started
 * ahead of time and refilled in the background; a worker whose thread ended
 * cleanly goes back to the pool. Idle workers are unref'd so a plain script
 * can exit; everything is terminated at shutdown. Idle workers nobody took
 * for a while are let go (runtime/spare-release.ts).
 */
import path from "node:path";
import { Worker } from "node:worker_threads";
import { onShutdown } from "../../runtime/lifecycle";
import { defaultSpareCount, workerResourceLimits } from "../../runtime/resources";
import { SpareRelease } from "../../runtime/spare-release";
import { registryBuffer } from "../shared/registry";
import { timeScale } from "../time/scale";
// Loaded before any worker starts: it publishes the timeline buffer that every new Worker inherits.
import "../shared/trace";
import type { FromWorker, ToWorker, WorkerBoot } from "./messages";
import { warmUpShipping } from "../shipping/pack";

const ENTRY = path.join(__dirname, "..", "threading-worker", "thread-main.js");
const PRELOAD = [
  path.join(__dirname, "index.js"),
  path.join(__dirname, "..", "queue", "index.js"),
  path.join(__dirname, "..", "time", "index.js"),
  path.join(__dirname, "..", "shared", "index.js"),
];

/** One worker of the pool and what currently listens to it. */
export interface PooledWorker {
  readonly worker: Worker;
  /** Receives the worker's messages during a run. */
  listener: ((msg: FromWorker) => void) | undefined;
  /** Called if the worker dies (error or exit) while listened to. */
  onDeath: ((reason: string) => void) | undefined;
  dead: boolean;
}

class WorkerPool {
  readonly #idle: PooledWorker[] = [];
  readonly #all = new Set<PooledWorker>();
  // Decided on first use: 2, or 1 under a CPU quota of 1 (runtime/resources.ts).
  #sparesSet: number | undefined;
  get #spares(): number {
    return (this.#sparesSet ??= defaultSpareCount());
  }
  set #spares(count: number) {
    this.#sparesSet = count;
  }
  #maxIdle = 4;
  #refillScheduled = false;
  #unregister: (() => void) | undefined;
  readonly #rest = new SpareRelease(
    () => {
      const idle = this.#idle.splice(0);
      for (const pw of idle) void this.discard(pw);
      return idle.length;
    },
    () => this.#scheduleRefill(),
  );

  /** A worker for a new thread: a warm one when there is one (`cold` false), else a fresh one. */
  take(): { pw: PooledWorker; cold: boolean } {
    this.#rest.touch();
    const pw = this.#idle.pop();
    this.#scheduleRefill();
    if (pw) return { pw, cold: false };
    return { pw: this.#spawn(), cold: true };
  }

  /** Returns a worker whose thread ended cleanly; it stays warm unless the pool is full. */
  give(pw: PooledWorker): void {
    pw.listener = undefined;
    pw.onDeath = undefined;
    if (pw.dead) return;
    if (this.#idle.length >= this.#maxIdle) {
      void this.discard(pw);
      return;
    }
    pw.worker.unref();
    this.#idle.push(pw);
  }

  /** Terminates a worker (its thread was stopped, or it left work behind). */
  async discard(pw: PooledWorker): Promise<void> {
    pw.dead = true;
    this.#all.delete(pw);
    const i = this.#idle.indexOf(pw);
    if (i >= 0) this.#idle.splice(i, 1);
    await pw.worker.terminate();
  }

  /** Workers booted (or booting) and waiting for a thread. */
  get idleCount(): number {
    return this.#idle.length;
  }

  /** Starts workers until `count` spares are warm (default: the configured number of spares). */
  prewarm(count = this.#spares): void {
    this.#spares = Math.max(this.#spares, count);
    this.#maxIdle = Math.max(this.#maxIdle, this.#spares);
    this.#rest.touch();
    while (this.#idle.length < count) this.#idle.push(this.#spawn());
  }

  /**
   * While `on`, keeps every returned worker warm (up to `limit`): the explorer starts the same threads once per
   * schedule, and a worker discarded at each schedule's end would be booted again at the next one's start.
   */
  keepWarm(on: boolean, limit = 64): void {
    if (on) {
      this.#keepMax ??= this.#maxIdle;
      this.#maxIdle = Math.max(this.#maxIdle, limit);
      return;
    }
    if (this.#keepMax === undefined) return;
    // Idle workers beyond the limit stay until their next use (they are unref'd): the next exploration wants them.
    this.#maxIdle = this.#keepMax;
    this.#keepMax = undefined;
  }
  #keepMax: number | undefined;

  /** Number of workers alive (idle or running a thread). */
  get size(): number {
    return this.#all.size;
  }

  /** Terminates every worker, idle or busy. */
  async shutdown(): Promise<void> {
    const all = [...this.#all];
    this.#idle.length = 0;
    this.#all.clear();
    for (const pw of all) {
      pw.dead = true;
      pw.onDeath?.("the program it belongs to ended (kernel shutdown, or the end of its process)");
    }
    await Promise.allSettled(all.map((pw) => pw.worker.terminate()));
  }

  #scheduleRefill(): void {
    if (this.#refillScheduled) return;
    this.#refillScheduled = true;
    setImmediate(() => {
      this.#refillScheduled = false;
      while (this.#idle.length < this.#spares) this.#idle.push(this.#spawn());
    }).unref();
  }

  #spawn(): PooledWorker {
    this.#unregister ??= onShutdown(() => this.shutdown());
    const boot: WorkerBoot = { registry: registryBuffer(), timeScale: timeScale(), preload: PRELOAD };
    // MEM_LIMIT caps each worker's heap: a runaway thread fails alone instead of the whole kernel.
    const worker = new Worker(ENTRY, {
      workerData: boot,
      stdout: true,
      stderr: true,
      resourceLimits: workerResourceLimits(),
    });
    const pw: PooledWorker = { worker, listener: undefined, onDeath: undefined, dead: false };
    this.#all.add(pw);
    worker.on("message", (msg: FromWorker) => pw.listener?.(msg));
    // stdout/stderr: true keeps the worker's output away from the executor's own streams. The worker sends
    // everything written to process.stdout/stderr through its message port instead (see threading-worker/thread-main.ts):
    // that keeps each thread's output in order with its other messages, and reading worker.stdout would hold
    // a reference that keeps a plain script from ever exiting.
    const die = (reason: string) => {
      if (pw.dead && !pw.onDeath) return;
      pw.dead = true;
      this.#all.delete(pw);
      const i = this.#idle.indexOf(pw);
      if (i >= 0) this.#idle.splice(i, 1);
      const onDeath = pw.onDeath;
      pw.onDeath = undefined;
      onDeath?.(reason);
    };
    worker.on("error", (err) =>
      die(`its worker failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`),
    );
    worker.on("exit", (code) => die(`its worker exited (code ${code})`));
    // After the listeners: adding a 'message' listener refs the worker again.
    worker.unref();
    return pw;
  }
}

/** Sends a run request to a pooled worker. */
export function sendRun(pw: PooledWorker, msg: ToWorker): void {
  pw.worker.postMessage(msg);
}

/** The process-wide pool of thread workers. */
export const pool = new WorkerPool();

/**
 * Starts `count` spare workers now and pays code shipping's one-time costs (the executor calls this when
 * idle after cells that import threads, so that the first Thread starts warm).
 */
export function prewarmThreads(count?: number): void {
  pool.prewarm(count);
  warmUpShipping();
}
