/**
 * The one place that patches process.stdout / process.stderr: whatever a cell
 * (or a timer, promise or worker it started) writes goes to that cell's
 * outputs. Writes with no cell around (rare: Spindle's own callbacks) go to
 * the most recent cell, so nothing printed is ever lost.
 */
import { currentCell, type CellContext } from "../../runtime/cell-context";

type Write = typeof process.stdout.write;

let lastCell: CellContext | undefined;

/** Remembers the most recently started cell (the fallback owner of stray output). */
export function setLastCell(cell: CellContext): void {
  lastCell = cell;
}

/** The most recently started cell. */
export function getLastCell(): CellContext | undefined {
  return lastCell;
}

/** Routes process.stdout / process.stderr writes to cells; returns the original writers. */
export function captureProcessStreams(): { stdout: Write; stderr: Write } {
  const original = { stdout: process.stdout.write.bind(process.stdout), stderr: process.stderr.write.bind(process.stderr) };
  for (const name of ["stdout", "stderr"] as const) {
    const stream = process[name];
    stream.write = function write(chunk: unknown, encoding?: unknown, callback?: unknown): boolean {
      const cb = typeof encoding === "function" ? encoding : callback;
      const text = typeof chunk === "string" ? chunk : Buffer.from(chunk as Uint8Array).toString(typeof encoding === "string" ? (encoding as BufferEncoding) : "utf8");
      const cell = currentCell() ?? lastCell;
      if (cell) cell.sink.stream(name, text);
      else original.stderr(text);
      if (typeof cb === "function") process.nextTick(cb as () => void);
      return true;
    } as Write;
  }
  return original;
}
