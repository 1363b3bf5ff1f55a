/**
 * A cap on the output a kernel publishes, for grading runs: a cell printing a
 * gigabyte would otherwise pile it up in the kernel and the grader faster than
 * either can drop it. Past the cap the kernel publishes one notice and drops
 * everything else.
 */
import type { ExecutorOutput } from "../executor/ipc-messages";
import { formatSize } from "../sandbox/caps";

/** The notice's fixed beginning, which the grader looks for. */
export const OUTPUT_CUT_MARK = "[spindle: output cut at ";

/** Counts published output against `limit` bytes. */
export class OutputBudget {
  #used = 0;
  #noticed = false;
  #pendingNotice = false;

  /** A budget of `limit` bytes (Infinity: no cap). */
  constructor(private readonly limit: number) {}

  /** Counts `output`; true when it must be dropped (the budget is spent). */
  exhausted(output: ExecutorOutput): boolean {
    if (this.limit === Infinity) return false;
    if (this.#noticed) return true;
    const content = output.content as { text?: unknown };
    this.#used +=
      output.msgType === "stream" && typeof content.text === "string"
        ? content.text.length
        : JSON.stringify(output.content).length;
    if (this.#used <= this.limit) return false;
    this.#noticed = true;
    this.#pendingNotice = true;
    return true;
  }

  /** The one notice to publish after the budget ran out, once. */
  cutNotice(): string | undefined {
    if (!this.#pendingNotice) return undefined;
    this.#pendingNotice = false;
    return `\n${OUTPUT_CUT_MARK}${formatSize(this.limit)}: the limit of this grading run]\n`;
  }
}
