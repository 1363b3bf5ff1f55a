/**
 * The rich representation of a value: what the executor shows as a cell's
 * execute_result and what `display(obj)` sends. Every bundle has a text/plain
 * entry, because consoles, `spindle run` and graders read only that.
 */
import { inspect } from "node:util";
import type { MimeBundle } from "../runtime/cell-context";

export type { MimeBundle } from "../runtime/cell-context";

/** The well-known symbol Jupyter-aware JavaScript objects use to describe their rich form. */
export const JUPYTER_DISPLAY: unique symbol = Symbol.for("Jupyter.display");

/** An object that renders itself: `[Symbol.for("Jupyter.display")]()` returns a mime bundle. */
export interface RichDisplayable {
  [JUPYTER_DISPLAY](): MimeBundle;
}

/** Options of `inspect` used for the text/plain fallback (kept in one place so every output agrees). */
export const INSPECT_OPTIONS = {
  depth: 4,
  colors: false,
  maxArrayLength: 100,
  maxStringLength: 10_000,
  breakLength: 100,
} as const;

/** True when `value` has a callable `[Symbol.for("Jupyter.display")]` method. */
export function isRichDisplayable(value: unknown): value is RichDisplayable {
  if ((typeof value !== "object" && typeof value !== "function") || value === null) return false;
  return typeof (value as Record<symbol, unknown>)[JUPYTER_DISPLAY] === "function";
}

/** The mime bundle for `value`: its own display method when it has one, inspect-style text otherwise. */
export function mimeBundleOf(value: unknown): MimeBundle {
  if (isRichDisplayable(value)) {
    let bundle: unknown;
    try {
      bundle = value[JUPYTER_DISPLAY]();
    } catch (err) {
      // A broken display method must not hide the value: show it plainly and say why.
      return { "text/plain": `${plainText(value)}\n[display method failed: ${errorText(err)}]` };
    }
    if (isBundle(bundle)) return withTextPlain(bundle, value);
    return { "text/plain": plainText(value) };
  }
  return { "text/plain": plainText(value) };
}

/** The inspect-style text of `value` (strings are shown quoted, as a REPL does). */
export function plainText(value: unknown): string {
  return inspect(value, INSPECT_OPTIONS);
}

/** Ensures a bundle returned by user code has string-keyed entries and a text/plain fallback. */
function withTextPlain(bundle: MimeBundle, value: unknown): MimeBundle {
  const out: MimeBundle = {};
  for (const [mime, data] of Object.entries(bundle)) {
    if (data !== undefined) out[mime] = data;
  }
  if (typeof out["text/plain"] !== "string") {
    out["text/plain"] = fallbackText(out, value);
  }
  return out;
}

function fallbackText(bundle: MimeBundle, value: unknown): string {
  const md = bundle["text/markdown"];
  if (typeof md === "string") return md;
  const name = (value as { constructor?: { name?: string } }).constructor?.name ?? "object";
  const kinds = Object.keys(bundle).join(", ");
  return kinds ? `<${name}: ${kinds}>` : plainText(value);
}

function isBundle(value: unknown): value is MimeBundle {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function errorText(err: unknown): string {
  return err instanceof Error ? `${err.name}: ${err.message}` : String(err);
}
