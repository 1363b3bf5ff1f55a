/**
 * `spindle/display`: rich outputs for notebooks — any value, HTML, Markdown,
 * SVG, JSON, PNG, tables — plus display handles updated in place and
 * `clearOutput`. In a plain Node script each output prints its text/plain form.
 */
import { currentCell } from "../runtime/cell-context";
import { htmlBundle, jsonBundle, markdownBundle, pngBundle, svgBundle, textBundle, type KindOptions } from "./bundles";
import { DisplayHandle } from "./handle";
import { emitClear, newDisplayId } from "./output";
import { table as makeTable, type TableOptions } from "./table";

export { DisplayHandle } from "./handle";
export { Table, table, type ColumnSpec, type TableOptions } from "./table";
export { mimeBundleOf, isRichDisplayable, JUPYTER_DISPLAY, type RichDisplayable, type MimeBundle } from "./mime";
export { formatSeconds, formatNumber } from "./format";
export {
  ProgressBar,
  progress,
  withProgress,
  setProgressEnabled,
  autoProgressDelay,
  type ProgressOptions,
  type BarState,
} from "./progress";
export { barChartSvg, type Bar, type BarChartOptions } from "./bar-chart";
export { displayWidth, padToWidth, truncateToWidth, textPixelWidth } from "./text-width";
export { type DisplayLang } from "./lang";

/** Options of `display(obj, options)`. */
export interface DisplayOptions {
  /** Display id to show under (reuse it to update); a fresh id is made when omitted. */
  displayId?: string;
  /** Update the existing output with `displayId` instead of adding a new one. */
  update?: boolean;
  /** Treat `obj` as a ready mime bundle (`{ "text/html": "…", "text/plain": "…" }`). */
  raw?: boolean;
  /** Per-mime metadata, e.g. `{ "image/png": { width: 200 } }`. */
  metadata?: Record<string, unknown>;
}

/** Options of the typed helpers (`display.html(…)` etc.). */
export type KindDisplayOptions = KindOptions & Omit<DisplayOptions, "raw">;

/** `display(obj)` plus typed helpers for each kind of rich output. */
export interface DisplayFunction {
  /** Shows `obj` in the cell's output (rich when it has a display method) and returns a handle to update it. */
  (obj: unknown, options?: DisplayOptions): DisplayHandle;
  /** Shows HTML (text/plain fallback: the HTML's text). */
  html(html: string, options?: KindDisplayOptions): DisplayHandle;
  /** Shows Markdown. */
  markdown(markdown: string, options?: KindDisplayOptions): DisplayHandle;
  /** Shows an SVG image (a string of `<svg …>…</svg>`). */
  svg(svg: string, options?: KindDisplayOptions): DisplayHandle;
  /** Shows a JSON value as an interactive tree where the frontend supports it. */
  json(value: unknown, options?: KindDisplayOptions): DisplayHandle;
  /** Shows a PNG image from bytes or base64 text. */
  png(data: Uint8Array | string, options?: KindDisplayOptions): DisplayHandle;
  /** Shows plain text as a display (not as stream output). */
  text(text: string, options?: Omit<DisplayOptions, "raw">): DisplayHandle;
  /** Shows an array of records as a table (HTML, plain text and Markdown). */
  table(rows: ReadonlyArray<unknown>, options?: TableOptions & Omit<DisplayOptions, "raw">): DisplayHandle;
}

function show(obj: unknown, options: DisplayOptions = {}): DisplayHandle {
  const handle = new DisplayHandle(options.displayId ?? newDisplayId(), currentCell());
  const how = { raw: options.raw, metadata: options.metadata };
  if (options.update === true && options.displayId !== undefined) handle.update(obj, how);
  else handle.display(obj, how);
  return handle;
}

function showBundle(bundle: Record<string, unknown>, options: Omit<DisplayOptions, "raw"> = {}): DisplayHandle {
  return show(bundle, { ...options, raw: true });
}

/** Shows `obj` in the current cell's output and returns a handle that can update it in place. */
export const display: DisplayFunction = Object.assign(show, {
  html: (html: string, o?: KindDisplayOptions) => showBundle(htmlBundle(html, o), o),
  markdown: (md: string, o?: KindDisplayOptions) => showBundle(markdownBundle(md, o), o),
  svg: (svg: string, o?: KindDisplayOptions) => showBundle(svgBundle(svg, o), o),
  json: (value: unknown, o?: KindDisplayOptions) => showBundle(jsonBundle(value, o), o),
  png: (data: Uint8Array | string, o?: KindDisplayOptions) => showBundle(pngBundle(data, o), o),
  text: (text: string, o?: Omit<DisplayOptions, "raw">) => showBundle(textBundle(text), o),
  table: (rows: ReadonlyArray<unknown>, o: TableOptions & Omit<DisplayOptions, "raw"> = {}) =>
    show(makeTable(rows, { columns: o.columns, caption: o.caption }), o),
});

/** Options of `clearOutput`. */
export interface ClearOutputOptions {
  /** Wait until the next output arrives before clearing (avoids flicker in animations). */
  wait?: boolean;
}

/** Clears the current cell's output (nothing happens outside a kernel). */
export function clearOutput(options: ClearOutputOptions = {}): void {
  emitClear(options.wait === true);
}

/** Bundle builders, for objects that implement their own `[Symbol.for("Jupyter.display")]()`. */
export { htmlBundle, markdownBundle, svgBundle, jsonBundle, pngBundle } from "./bundles";
