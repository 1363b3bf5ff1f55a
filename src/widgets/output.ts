/**
 * The Output widget (@jupyter-widgets/output 1.0.0): a place in the page that
 * collects outputs. While `capture(fn)` runs, the widget's `msg_id` names the
 * request being handled, and the frontend routes every output of that request
 * (prints, displays, errors, also from threads the code starts) into the widget
 * instead of the cell — the mechanism ipywidgets uses.
 */
import { mimeBundleOf } from "../display/mime";
import { emitClear } from "../display/output";
import { currentCell } from "../runtime/cell-context";
import { WidgetError } from "./errors";
import { Widget, type LayoutOptions, type Layout } from "./widget";

/** One output as nbformat stores it (stream, display_data, …). */
export type OutputRecord = Record<string, unknown> & { output_type: string };

/** Options of `capture`. */
export interface CaptureOptions {
  /** Clear what the widget shows first (when the first new output arrives, so it does not flicker). */
  clear?: boolean;
}

/** A widget that shows outputs: `await out.capture(() => console.log("inside"))`. */
export class Output extends Widget {
  declare msgId: string;
  declare outputs: OutputRecord[];
  #depth = 0;

  /** Creates an empty output area. */
  constructor(options: { layout?: Layout | LayoutOptions } = {}) {
    super("Output", options);
  }

  /**
   * Runs `fn` with the outputs of the current request going into this widget;
   * resolves with what `fn` returns (after its promise settles).
   */
  async capture<T>(fn: () => T | Promise<T>, options: CaptureOptions = {}): Promise<T> {
    const cell = currentCell();
    if (!cell) return await fn();
    const outer = this.msgId;
    this.#depth++;
    this.set({ msgId: cell.id });
    try {
      if (options.clear === true) emitClear(true, cell);
      return await fn();
    } finally {
      this.#depth--;
      // Flushes the cell's pending text first: the update leaves after the captured output.
      if (!this.closed) this.set({ msgId: this.#depth > 0 ? outer : "" });
    }
  }

  /** Clears the widget (`wait`: when the next output arrives). */
  clearOutput(options: { wait?: boolean } = {}): void {
    const cell = currentCell();
    if (cell && this.msgId === cell.id) emitClear(options.wait === true, cell);
    else this.set({ outputs: [] });
  }

  /** Appends text to the widget's stdout (without capturing). */
  appendStdout(text: string): void {
    this.#append({ output_type: "stream", name: "stdout", text });
  }

  /** Appends text to the widget's stderr. */
  appendStderr(text: string): void {
    this.#append({ output_type: "stream", name: "stderr", text });
  }

  /** Appends the rich form of `value` (as `display(value)` would show it). */
  appendDisplayData(value: unknown): void {
    this.#append({ output_type: "display_data", data: mimeBundleOf(value), metadata: {} });
  }

  protected override coerce(wire: string, value: unknown): unknown {
    if (
      wire === "outputs" &&
      !(Array.isArray(value) && value.every((o) => typeof o === "object" && o !== null && "output_type" in o))
    ) {
      throw new WidgetError(
        'Output.outputs must be an array of nbformat outputs ({ output_type: "stream", name, text }, …).',
      );
    }
    if (wire === "msg_id" && typeof value !== "string") {
      throw new WidgetError('Output.msgId must be a string (a request\'s msg_id, or "").');
    }
    return value;
  }

  #append(output: OutputRecord): void {
    this.set({ outputs: [...this.outputs, output] });
  }
}
