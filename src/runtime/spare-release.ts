/**
 * Warm spares at rest. Spare worker threads and child processes make starts
 * fast, but each holds 10–60 MB, and a class's kernels mostly sit idle while
 * students read. Spares nobody took for a while (`SPINDLE_SPARES_IDLE_S`,
 * default 600 s; 0 keeps them) are let go, so a kernel at rest costs what a
 * fresh one does; the next cell that starts boots them again in the
 * background (the executor calls `cellStarting()`).
 */
import { spareIdleMs } from "./resources";

const releasers = new Set<SpareRelease>();

/** The idle clock of one set of spares. */
export class SpareRelease {
  #lastUse = Date.now();
  #timer: NodeJS.Timeout | undefined;
  #released = false;

  /**
   * `release` lets the idle spares go and returns how many it let go; `revive` starts booting them
   * again (not waiting for them).
   */
  constructor(
    readonly release: () => number,
    readonly revive: () => void,
  ) {
    releasers.add(this);
  }

  /** The spares were used (or made) now: the idle clock starts again. */
  touch(): void {
    this.#lastUse = Date.now();
    this.#released = false;
    // Called on every Thread.start(): the environment is read only when the clock is not running yet.
    if (!this.#timer) this.#arm(spareIdleMs());
  }

  /** True while the spares are let go and no cell or use has asked for them since. */
  get released(): boolean {
    return this.#released;
  }

  #arm(ms: number): void {
    if (this.#timer || ms <= 0) return;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      const limit = spareIdleMs();
      if (limit <= 0) return;
      const idle = Date.now() - this.#lastUse;
      if (idle < limit) return this.#arm(limit - idle);
      this.#released = this.release() > 0;
    }, ms);
    // A plain script must still be able to exit while its spares wait.
    this.#timer.unref();
  }
}

/** A cell starts: spares that were let go boot again now, ahead of the cell's own starts. */
export function cellStarting(): void {
  for (const r of releasers) {
    if (!r.released) continue;
    r.touch();
    r.revive();
  }
}
