/**
 * Progress bars: one display updated in place (update_display_data) with
 * HTML and text/plain, throttled, whose final state stays visible.
 * Off outside a kernel (a plain script prints nothing) unless asked for.
 *
 * For library code (Pool.map, imap, compare):
 * ```ts
 * const bar = progress({ total: items.length, label: "Pool.map" });
 * for (…) bar.advance();
 * bar.close();            // or bar.close("error") when the work failed
 * ```
 */
import { currentCell, type CellContext } from "../runtime/cell-context";
import { setLibraryProgressFactory } from "../runtime/library-progress";
import { escapeXml } from "./escape";
import { formatNumber } from "./format";
import { emit, newDisplayId } from "./output";

/** Options of `progress()`. */
export interface ProgressOptions {
  /** The number of steps to expect (omit when unknown). */
  total?: number;
  /** A short label shown before the bar. */
  label?: string;
  /** Minimum seconds between two updates sent to the frontend (default 0.1). */
  minInterval?: number;
  /** Force on or off (default: on inside a kernel cell when progress bars are enabled, off elsewhere). */
  enabled?: boolean;
  /** Seconds to wait before the bar first appears; work that ends sooner shows no bar at all (default 0). */
  delay?: number;
}

/** What a bar shows: still running, or how it ended. */
export type BarState = "running" | "done" | "error" | "interrupted";

let globallyEnabled = process.env.SPINDLE_PROGRESS !== "0";
let libraryDelay = 0.5;

/**
 * Turns automatic progress bars (Pool.map, imap, compare…) on or off for this process; `delay` sets
 * how many seconds such work runs before its bar appears (default 0.5, so quick calls stay quiet).
 */
export function setProgressEnabled(on: boolean, options: { delay?: number } = {}): void {
  globallyEnabled = on;
  if (options.delay !== undefined && options.delay >= 0) libraryDelay = options.delay;
}

/** The delay library code passes to `progress()` for its automatic bars (see `setProgressEnabled`). */
export function autoProgressDelay(): number {
  return libraryDelay;
}

/** A throttled progress bar updated in place. */
export class ProgressBar {
  readonly #total: number | undefined;
  readonly #label: string;
  readonly #intervalMs: number;
  readonly #cell: CellContext | undefined;
  readonly #enabled: boolean;
  readonly #id = newDisplayId();
  readonly #start = performance.now();
  readonly #delayMs: number;
  #delayTimer: NodeJS.Timeout | undefined;
  #value = 0;
  #lastSent = -Infinity;
  #shown = false;
  #closed = false;
  #trailing: NodeJS.Timeout | undefined;
  /** How many display messages this bar sent (first display plus updates). */
  sent = 0;

  /** Creates a bar; it shows itself at once when enabled. */
  constructor(options: ProgressOptions = {}) {
    this.#total = options.total !== undefined && options.total >= 0 ? options.total : undefined;
    this.#label = options.label ?? "";
    this.#intervalMs = Math.max(0, (options.minInterval ?? 0.1) * 1000);
    this.#cell = currentCell();
    this.#enabled = options.enabled ?? (this.#cell !== undefined && globallyEnabled);
    this.#delayMs = Math.max(0, (options.delay ?? 0) * 1000);
    if (!this.#enabled) return;
    if (this.#delayMs === 0) this.#render("running");
    else {
      // Appear after the delay even if no step finishes by then (a long first task).
      this.#delayTimer = setTimeout(() => {
        this.#delayTimer = undefined;
        if (!this.#closed) this.#render("running");
      }, this.#delayMs).unref();
    }
  }

  /** The display id of the bar's output. */
  get displayId(): string {
    return this.#id;
  }

  /** Whether the bar sends anything at all. */
  get enabled(): boolean {
    return this.#enabled;
  }

  /** Steps done so far. */
  get value(): number {
    return this.#value;
  }

  /** Adds `steps` (default 1) to the count; the display follows at most every `minInterval`. */
  advance(steps = 1): void {
    this.set(this.#value + steps);
  }

  /** Sets the count of steps done. */
  set(value: number): void {
    this.#value = value;
    if (!this.#enabled || this.#closed) return;
    const now = performance.now();
    if (!this.#shown && now - this.#start < this.#delayMs) return;
    if (now - this.#lastSent >= this.#intervalMs) {
      this.#render("running");
      return;
    }
    // Make sure the latest count shows up even if no further step comes soon.
    this.#trailing ??= setTimeout(
      () => {
        this.#trailing = undefined;
        if (!this.#closed) this.#render("running");
      },
      this.#intervalMs - (now - this.#lastSent),
    ).unref();
  }

  /** Sends the final state ("done", or "error"/"interrupted"); later calls do nothing. */
  close(state: Exclude<BarState, "running"> = "done"): void {
    if (this.#closed) return;
    this.#closed = true;
    if (this.#trailing) clearTimeout(this.#trailing);
    if (this.#delayTimer) clearTimeout(this.#delayTimer);
    // A bar still waiting out its delay was never shown: quick work leaves nothing behind.
    if (this.#enabled && (this.#shown || this.#delayMs === 0)) this.#render(state);
  }

  /** The bar as text (tqdm-like), for consoles and graders. */
  text(state: BarState = "running"): string {
    const label = this.#label ? `${this.#label}: ` : "";
    const frac = this.#fraction();
    if (frac === undefined) return `${label}${this.#stats(state)}`;
    const cells = 24;
    const full = Math.floor(frac * cells);
    const bar =
      "█".repeat(full) + (full < cells ? (frac * cells - full >= 0.5 ? "▌" : " ") + " ".repeat(cells - full - 1) : "");
    return `${label}${String(Math.round(frac * 100)).padStart(3)}%|${bar}| ${this.#stats(state)}`;
  }

  #fraction(): number | undefined {
    return this.#total === undefined || this.#total === 0 ? undefined : Math.min(1, this.#value / this.#total);
  }

  /** "450/1000 [00:01<00:02, 312.5 it/s]" (count, elapsed, time left, rate) plus a final state word. */
  #stats(state: BarState): string {
    const elapsed = (performance.now() - this.#start) / 1000;
    const rate = elapsed > 0 ? this.#value / elapsed : 0;
    const suffix = state === "running" ? "" : ` ${state}`;
    if (this.#total === undefined || this.#total === 0)
      return `${this.#value} [${clock(elapsed)}, ${formatNumber(rate)} it/s]${suffix}`;
    const left = rate > 0 && state === "running" ? `<${clock((this.#total - this.#value) / rate)}` : "";
    return `${this.#value}/${this.#total} [${clock(elapsed)}${left}, ${formatNumber(rate)} it/s]${suffix}`;
  }

  #render(state: BarState): void {
    this.#lastSent = performance.now();
    const text = this.text(state);
    const known = this.#fraction();
    const frac = known ?? (state === "done" ? 1 : 0);
    const pct = known === undefined ? "" : `${Math.round(known * 100)}% `;
    const color = state === "running" || state === "done" ? "#4C78A8" : "#E45756";
    const html =
      `<div class="spindle-progress" style="display:flex;align-items:center;gap:8px;font-family:monospace;font-size:12px">` +
      (this.#label ? `<span>${escapeXml(this.#label)}</span>` : "") +
      `<div style="width:240px;height:12px;background:#E8E8E8;border-radius:3px;overflow:hidden">` +
      `<div class="spindle-progress-fill" style="width:${(frac * 100).toFixed(1)}%;height:100%;background:${color}"></div></div>` +
      `<span>${escapeXml(pct + this.#stats(state))}</span></div>`;
    emit({ "text/html": html, "text/plain": text }, { displayId: this.#id, update: this.#shown, cell: this.#cell });
    this.#shown = true;
    this.sent++;
  }
}

/** Creates a progress bar (shown only inside a kernel unless `enabled` says otherwise). */
export function progress(options: ProgressOptions = {}): ProgressBar {
  return new ProgressBar(options);
}

/** Runs `fn` with a bar for `total` steps and closes it with the right final state. */
export async function withProgress<T>(options: ProgressOptions, fn: (bar: ProgressBar) => Promise<T>): Promise<T> {
  const bar = progress(options);
  try {
    const value = await fn(bar);
    bar.close("done");
    return value;
  } catch (err) {
    bar.close(err instanceof Error && /interrupt/i.test(err.message + err.name) ? "interrupted" : "error");
    throw err;
  }
}

function clock(seconds: number): string {
  if (!Number.isFinite(seconds)) return "?";
  const s = Math.max(0, Math.round(seconds));
  const m = Math.floor(s / 60);
  return `${String(m).padStart(2, "0")}:${String(s % 60).padStart(2, "0")}`;
}

// Library code below the display layer (Pool.map, imap) gets its bars through this seam.
setLibraryProgressFactory((options) => new ProgressBar({ ...options, delay: autoProgressDelay() }));
