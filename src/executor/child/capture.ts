/**
 * The one place that patches process.stdout / process.stderr: whatever a cell
 * (or a timer, promise or worker it started) writes goes to that cell's
 * outputs. Writes with no cell around (rare: Spindle's own callbacks) go to
 * the most recent cell, so nothing printed is ever lost.
 */
import { formatWithOptions } from "node:util";
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
  const emit = (name: "stdout" | "stderr", text: string): void => {
    const cell = currentCell() ?? lastCell;
    if (cell) cell.sink.stream(name, text);
    else original.stderr(text);
  };
  for (const name of ["stdout", "stderr"] as const) {
    const stream = process[name];
    stream.write = function write(chunk: unknown, encoding?: unknown, callback?: unknown): boolean {
      const cb = typeof encoding === "function" ? encoding : callback;
      const text = typeof chunk === "string" ? chunk : Buffer.from(chunk as Uint8Array).toString(typeof encoding === "string" ? (encoding as BufferEncoding) : "utf8");
      emit(name, text);
      if (typeof cb === "function") process.nextTick(cb as () => void);
      return true;
    } as Write;
  }
  captureConsole(emit);
  return original;
}

/**
 * Replaces the console's printing methods with direct writes: Node's Console
 * adds and removes stream listeners on every call, which makes a 100,000-line
 * print ten times slower than the writes themselves.
 */
function captureConsole(emit: (name: "stdout" | "stderr", text: string) => void): void {
  let indent = "";
  const printer = (name: "stdout" | "stderr") =>
    (...args: unknown[]): void => {
      const text = formatWithOptions({ colors: false }, ...args);
      emit(name, indent === "" ? `${text}\n` : `${indent}${text.replace(/\n/g, `\n${indent}`)}\n`);
    };
  const out = printer("stdout");
  const err = printer("stderr");
  const group = (...label: unknown[]): void => {
    if (label.length > 0) out(...label);
    indent += "  ";
  };
  Object.assign(console, {
    log: out,
    info: out,
    debug: out,
    warn: err,
    error: err,
    group,
    groupCollapsed: group,
    groupEnd: (): void => {
      indent = indent.slice(2);
    },
  });
}
