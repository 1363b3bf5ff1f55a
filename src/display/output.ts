/**
 * The one place rich outputs leave Spindle: through the cell's sink inside a
 * kernel, as text/plain on stdout in a plain Node script.
 */
import { randomUUID } from "node:crypto";
import { currentCell, type CellContext, type DisplayContent, type MimeBundle } from "../runtime/cell-context";

/** Where and how one display goes. */
export interface EmitOptions {
  /** The display id (transient) that later updates refer to. */
  displayId?: string;
  /** Send update_display_data for `displayId` instead of a new display_data. */
  update?: boolean;
  /** Per-mime metadata (e.g. image sizes). */
  metadata?: Record<string, unknown>;
  /** The cell that owns the output (default: the current one). */
  cell?: CellContext;
}

/** A fresh display id. */
export function newDisplayId(): string {
  return randomUUID().replace(/-/g, "");
}

/** True when outputs go to a notebook frontend (a kernel cell is running), false in a plain script. */
export function inKernel(cell: CellContext | undefined = currentCell()): boolean {
  return cell !== undefined;
}

/** Sends `bundle` as display_data (or update_display_data) to the cell, or prints its text outside a kernel. */
export function emit(bundle: MimeBundle, options: EmitOptions = {}): void {
  const cell = options.cell ?? currentCell();
  if (!cell) {
    const text = bundle["text/plain"];
    process.stdout.write(`${typeof text === "string" ? text : "[rich output]"}\n`);
    return;
  }
  const content: DisplayContent = { data: bundle, metadata: options.metadata ?? {} };
  if (options.displayId !== undefined) content.transient = { display_id: options.displayId };
  cell.sink.display(content, options.update === true && options.displayId !== undefined);
}

/** Clears the current cell's output; `wait` defers the clearing until the next output arrives. */
export function emitClear(wait: boolean, cell: CellContext | undefined = currentCell()): void {
  if (cell) cell.sink.clearOutput(wait);
}
