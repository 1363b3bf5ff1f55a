/**
 * Source maps of every compiled cell, so stack traces point at cell lines
 * (`cell [3], line 5`) instead of compiled JavaScript. Cells are run with the
 * file name `cell[<label>]`, which is how frames are recognised.
 */
import { SourceMap } from "node:module";

interface CellMap {
  map: SourceMap;
  /** The user's code, split in lines, for showing the failing line. */
  lines: string[];
  /** Characters added before line 1 of the compiled code (the async wrapper). */
  wrapperShift: number;
  /** Characters added before line 1 of the TypeScript source (the import of earlier names). */
  sourceShift: number;
}

/** A position in a cell's TypeScript source. */
export interface CellPosition {
  label: string;
  line: number; // 1-based
  column: number; // 1-based
  text: string;
}

const maps = new Map<string, CellMap>();
/** A reused cell script's first label → the label it last ran under (what its frames are shown as). */
const relabels = new Map<string, string>();

/** The script file name a cell runs under. */
export function cellFileName(label: string): string {
  return `cell[${label}]`;
}

/** Remembers the source map of a cell. */
export function registerCellMap(
  label: string,
  sourceMap: string,
  code: string,
  wrapperShift: number,
  sourceShift: number,
): void {
  maps.set(label, { map: new SourceMap(JSON.parse(sourceMap)), lines: code.split("\n"), wrapperShift, sourceShift });
}

/** Shows frames of the script first run as `scriptLabel` as `label` from now on (the cell ran again unchanged). */
export function relabelCell(scriptLabel: string, label: string): void {
  if (scriptLabel === label) relabels.delete(scriptLabel);
  else relabels.set(scriptLabel, label);
}

/** Maps a (1-based) line/column in a cell's compiled code back to its TypeScript source. */
export function mapCellPosition(label: string, line: number, column: number): CellPosition | undefined {
  const m = maps.get(label);
  if (!m) return undefined;
  const col0 = line === 1 ? Math.max(0, column - 1 - m.wrapperShift) : column - 1;
  const entry = m.map.findEntry(line - 1, col0) as { originalLine?: number; originalColumn?: number };
  if (entry.originalLine === undefined) return undefined;
  const origLine = entry.originalLine + 1;
  let origCol = (entry.originalColumn ?? 0) + 1;
  if (origLine === 1) origCol = Math.max(1, origCol - m.sourceShift);
  return { label: relabels.get(label) ?? label, line: origLine, column: origCol, text: m.lines[origLine - 1] ?? "" };
}

const FRAME = /^\s*at (?:(.*?) \()?cell\[([^\]]+)\]:(\d+):(\d+)\)?$/;

/** One frame of a stack trace that points into a cell. */
export interface CellFrame extends CellPosition {
  fn?: string;
}

/** Parses one stack line; returns the cell position when the frame is in a cell. */
export function parseCellFrame(stackLine: string): CellFrame | undefined {
  const m = FRAME.exec(stackLine);
  if (!m?.[2]) return undefined;
  const pos = mapCellPosition(m[2], Number(m[3]), Number(m[4]));
  if (!pos) return undefined;
  const fn = m[1] && !/^(?:async )?(?:Object\.)?<anonymous>$/.test(m[1]) ? m[1].replace(/^async /, "") : undefined;
  return { ...pos, fn: fn === "eval" ? undefined : fn };
}
