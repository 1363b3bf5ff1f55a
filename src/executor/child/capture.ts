/**
 * The one place that patches process.stdout / process.stderr: whatever a cell
 * (or a timer, promise or worker it started) writes goes to that cell's
 * outputs. Writes with no cell around (rare: Spindle's own callbacks) go to
 * the most recent cell, so nothing printed is ever lost.
 */
import { formatWithOptions } from "node:util";
import { currentCell, type CellContext } from "../../runtime/cell-context";
import { captureStdio, type StdStream, type StreamWrite } from "../../system/stdout-capture";

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
export function captureProcessStreams(): Record<StdStream, StreamWrite> {
  const emit = (name: StdStream, text: string): void => {
    const cell = currentCell() ?? lastCell;
    if (cell) cell.sink.stream(name, text);
    else original.stderr(text);
  };
  const original = captureStdio(emit);
  captureConsole(emit);
  return original;
}

/**
 * Replaces the console's printing methods with direct writes: Node's Console
 * adds and removes stream listeners on every call, which makes a 100,000-line
 * print ten times slower than the writes themselves.
 */
function captureConsole(emit: (name: StdStream, text: string) => void): void {
  let indent = "";
  const printer =
    (name: StdStream) =>
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
