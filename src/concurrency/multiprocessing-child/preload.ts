/**
 * Module preloading in a spare child: the modules recent Process targets
 * needed are loaded while the spare waits, so the next target starts without
 * compiling them. Whatever they print is held and sent when the spare gets
 * work, so it lands in that work's cell, as if loaded then. A module that
 * fails to load is forgotten here; the target's own load runs it again and
 * reports the error where it belongs.
 */
import type { ToParent } from "../multiprocessing/messages";

/** Holds a spare's output until it has work; then passes everything through. */
export class OutputHold {
  #held: ToParent[] | undefined;

  /** Keeps `msg` back if holding; returns false when the caller should send it now. */
  keep(msg: ToParent): boolean {
    if (!this.#held || msg.t !== "out") return false;
    this.#held.push(msg);
    return true;
  }

  /** Loads `files`, holding their output; skipped once the child has work (`busy`). */
  preload(files: string[], busy: boolean): void {
    if (busy) return;
    this.#held ??= [];
    for (const file of files) {
      const mark = this.#held.length;
      try {
        require(file);
      } catch {
        this.#held.length = mark;
      }
    }
  }

  /** Stops holding and sends what was held, in order. */
  release(send: (msg: ToParent) => void): void {
    const held = this.#held;
    this.#held = undefined;
    if (held) for (const m of held) send(m);
  }
}
