/** Mime bundles for the common rich kinds, each with a readable text/plain. */
import { SpindleError } from "../errors";
import type { MimeBundle } from "./mime";

/** Options shared by the typed display helpers. */
export interface KindOptions {
  /** The text/plain fallback shown by consoles and graders (a sensible default is derived). */
  text?: string;
}

/** An HTML bundle; its plain text is the HTML with tags removed. */
export function htmlBundle(html: string, options: KindOptions = {}): MimeBundle {
  return { "text/html": requireString(html, "display.html(html)"), "text/plain": options.text ?? htmlToText(html) };
}

/** A Markdown bundle; the Markdown source doubles as its plain text. */
export function markdownBundle(markdown: string, options: KindOptions = {}): MimeBundle {
  return { "text/markdown": requireString(markdown, "display.markdown(text)"), "text/plain": options.text ?? markdown };
}

/** An SVG bundle; its plain text names the image (its `<title>` when present). */
export function svgBundle(svg: string, options: KindOptions = {}): MimeBundle {
  requireString(svg, "display.svg(svg)");
  const title = /<title>([^<]*)<\/title>/.exec(svg)?.[1];
  return {
    "image/svg+xml": svg,
    "text/plain": options.text ?? `[SVG image${title ? `: ${decodeEntities(title)}` : ""}]`,
  };
}

/** A JSON bundle (application/json) with pretty-printed JSON as its plain text. */
export function jsonBundle(value: unknown, options: KindOptions = {}): MimeBundle {
  let text: string | undefined;
  try {
    text = JSON.stringify(value, null, 2);
  } catch (err) {
    throw new SpindleError(
      `display.json(value) needs a JSON-serializable value: ${(err as Error).message}. Remove cycles and BigInts first.`,
      "ERR_SPINDLE_DISPLAY_JSON",
      { cause: err },
    );
  }
  return { "application/json": JSON.parse(text ?? "null") as unknown, "text/plain": options.text ?? text ?? "null" };
}

/** A PNG bundle from bytes or base64 text. */
export function pngBundle(data: Uint8Array | string, options: KindOptions = {}): MimeBundle {
  const base64 = typeof data === "string" ? data.replace(/\s+/g, "") : Buffer.from(data).toString("base64");
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(base64)) {
    throw new SpindleError(
      "display.png(data) needs PNG bytes (Buffer/Uint8Array) or base64 text.",
      "ERR_SPINDLE_DISPLAY_PNG",
    );
  }
  const bytes = Math.floor((base64.length * 3) / 4);
  return { "image/png": base64, "text/plain": options.text ?? `[PNG image, ${bytes} bytes]` };
}

/** A plain-text bundle. */
export function textBundle(text: string): MimeBundle {
  return { "text/plain": String(text) };
}

/** Readable text from HTML: tags dropped, block ends become newlines, entities decoded. */
export function htmlToText(html: string): string {
  const text = html
    .replace(/<(script|style)[\s\S]*?<\/\1>/gi, "")
    .replace(/<br\s*\/?>/gi, "\n")
    .replace(/<\/(p|div|tr|h[1-6]|li|caption|table|thead|tbody)>/gi, "\n")
    .replace(/<\/t[dh]>/gi, "\t")
    .replace(/<[^>]*>/g, "");
  return decodeEntities(text)
    .replace(/[ \t]+\n/g, "\n")
    .replace(/\n{3,}/g, "\n\n")
    .trim();
}

function decodeEntities(text: string): string {
  return text
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&nbsp;/g, " ")
    .replace(/&amp;/g, "&");
}

function requireString(value: unknown, what: string): string {
  if (typeof value !== "string") {
    throw new SpindleError(`${what} needs a string, got ${typeof value}.`, "ERR_SPINDLE_DISPLAY_TYPE");
  }
  return value;
}
