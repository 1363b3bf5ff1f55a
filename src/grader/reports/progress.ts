/**
 * The progress display of a grading run, on stderr: a redrawn bar on a
 * terminal, one line per finished submission otherwise (logs, CI).
 */

/** Reports progress of `total` submissions. */
export class Progress {
  #done = 0;
  #rejected = 0;
  #running = new Set<string>();
  readonly #tty: boolean;

  /** Starts a display for `total` items written to `out` (a TTY gets a live bar). */
  constructor(
    readonly total: number,
    private readonly out: NodeJS.WriteStream = process.stderr,
  ) {
    this.#tty = out.isTTY === true;
  }

  /** A submission started grading. */
  start(student: string): void {
    this.#running.add(student);
    this.#draw();
  }

  /** A submission finished; `summary` is e.g. "7/10" or "rejected: not a notebook". */
  finish(student: string, summary: string, rejected: boolean): void {
    this.#running.delete(student);
    this.#done++;
    if (rejected) this.#rejected++;
    if (this.#tty) this.#draw();
    else this.out.write(`[${this.#done}/${this.total}] ${student}: ${summary}\n`);
  }

  /** Ends the display (leaves the final bar on its own line). */
  end(): void {
    if (this.#tty) this.out.write("\n");
  }

  #draw(): void {
    if (!this.#tty) return;
    const width = 30;
    const filled = this.total === 0 ? width : Math.round((this.#done / this.total) * width);
    const running = [...this.#running].slice(0, 3).join(", ");
    const rejected = this.#rejected > 0 ? `, ${this.#rejected} rejected` : "";
    const line = `[${"#".repeat(filled)}${".".repeat(width - filled)}] ${this.#done}/${this.total} done${rejected}${running ? ` — running: ${running}` : ""}`;
    this.out.write(`\r\u001b[2K${line.slice(0, (this.out.columns ?? 120) - 1)}`);
  }
}
