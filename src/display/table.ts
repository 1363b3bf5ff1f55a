/**
 * Tables of records rendered three ways — HTML for notebooks, aligned plain
 * text for consoles and graders, Markdown for documents — from one model.
 */
import { SpindleError } from "../errors";
import { escapeMarkdownCell, escapeXml } from "./escape";
import { formatCell } from "./format";
import { JUPYTER_DISPLAY, type MimeBundle } from "./mime";
import { displayWidth, padToWidth } from "./text-width";

/** A column: which key of each row it shows, its header and how to format and align values. */
export interface ColumnSpec {
  /** The property of each row this column shows. */
  key: string;
  /** Header text (defaults to the key). */
  label?: string;
  /** Alignment (default: right for numbers, left otherwise). */
  align?: "left" | "right";
  /** Turns a value into cell text (default: numbers to 4 significant digits, objects inspected). */
  format?: (value: unknown, row: Record<string, unknown>) => string;
}

/** Options of `table()` / `display.table()`. */
export interface TableOptions {
  /** Which columns to show and in which order (default: every key of every row, in first-seen order). */
  columns?: ReadonlyArray<string | ColumnSpec>;
  /** A title shown above the table. */
  caption?: string;
}

interface Model {
  caption?: string;
  headers: string[];
  align: Array<"left" | "right">;
  cells: string[][];
}

/** A table of records that renders itself in notebooks (HTML), consoles (text) and documents (Markdown). */
export class Table {
  readonly #model: Model;

  /** Builds a table from an array of records (objects) or arrays (cells by column index). */
  constructor(rows: ReadonlyArray<unknown>, options: TableOptions = {}) {
    this.#model = buildModel(rows, options);
  }

  /** The number of body rows. */
  get rowCount(): number {
    return this.#model.cells.length;
  }

  /** HTML `<table>` with caption, header and body. */
  toHTML(): string {
    const m = this.#model;
    const th = m.headers.map((h, i) => `<th style="text-align:${m.align[i]}">${escapeXml(h)}</th>`).join("");
    const body = m.cells
      .map(
        (row) =>
          `<tr>${row.map((c, i) => `<td style="text-align:${m.align[i]}${m.align[i] === "right" ? ";white-space:nowrap" : ""}">${escapeXml(c)}</td>`).join("")}</tr>`,
      )
      .join("\n");
    const caption = m.caption === undefined ? "" : `<caption>${escapeXml(m.caption)}</caption>`;
    return `<table class="spindle-table">${caption}<thead><tr>${th}</tr></thead>\n<tbody>\n${body}\n</tbody></table>`;
  }

  /** Aligned plain text, columns separated by two spaces, a dashed rule under the header. */
  toText(): string {
    const m = this.#model;
    const widths = m.headers.map((h, i) => Math.max(width(h), ...m.cells.map((r) => width(r[i] ?? ""))));
    const line = (cells: string[]): string =>
      cells
        .map((c, i) => pad(c, widths[i] ?? 0, m.align[i] ?? "left"))
        .join("  ")
        .trimEnd();
    const out: string[] = [];
    if (m.caption !== undefined) out.push(m.caption);
    out.push(line(m.headers), widths.map((w) => "-".repeat(w)).join("  "));
    for (const row of m.cells) out.push(line(row.map(oneLine)));
    return out.join("\n");
  }

  /** A GitHub-flavoured Markdown table (caption as a bold line above it). */
  toMarkdown(): string {
    const m = this.#model;
    const row = (cells: string[]): string => `| ${cells.map(escapeMarkdownCell).join(" | ")} |`;
    const rule = `|${m.align.map((a) => (a === "right" ? "---:" : ":---")).join("|")}|`;
    const lines = [row(m.headers), rule, ...m.cells.map(row)];
    if (m.caption !== undefined) lines.unshift(`**${escapeMarkdownCell(m.caption)}**`, "");
    return lines.join("\n");
  }

  /** The mime bundle Jupyter renders: HTML, Markdown and plain text. */
  [JUPYTER_DISPLAY](): MimeBundle {
    return { "text/html": this.toHTML(), "text/markdown": this.toMarkdown(), "text/plain": this.toText() };
  }

  /** The plain-text form (so `console.log(String(t))` reads well). */
  toString(): string {
    return this.toText();
  }
}

/** Makes a `Table` of `rows`; the last value of a cell or `display(t)` shows it. */
export function table(rows: ReadonlyArray<unknown>, options: TableOptions = {}): Table {
  return new Table(rows, options);
}

function buildModel(rows: ReadonlyArray<unknown>, options: TableOptions): Model {
  if (!Array.isArray(rows)) {
    throw new SpindleError(
      `table(rows) needs an array of records, got ${typeof rows}; pass e.g. [{ name: "a", n: 1 }].`,
      "ERR_SPINDLE_TABLE_ROWS",
    );
  }
  const records = rows.map(toRecord);
  const specs = (options.columns ?? inferColumns(records)).map((c) => (typeof c === "string" ? { key: c } : c));
  const cells = records.map((r) => specs.map((s) => (s.format ? s.format(r[s.key], r) : formatCell(r[s.key]))));
  const align = specs.map((s) => s.align ?? (records.some((r) => typeof r[s.key] === "number") ? "right" : "left"));
  return { caption: options.caption, headers: specs.map((s) => s.label ?? s.key), align, cells };
}

function toRecord(row: unknown): Record<string, unknown> {
  if (Array.isArray(row)) return Object.fromEntries(row.map((v, i) => [String(i), v]));
  if (typeof row === "object" && row !== null) return row as Record<string, unknown>;
  return { value: row };
}

function inferColumns(records: Array<Record<string, unknown>>): string[] {
  const seen = new Set<string>();
  for (const r of records) for (const k of Object.keys(r)) seen.add(k);
  return [...seen];
}

function oneLine(text: string): string {
  return text.replace(/\r?\n/g, " ");
}

/** Display width of a cell as printed (on one line; wide CJK characters count two columns). */
function width(text: string): number {
  return displayWidth(oneLine(text));
}

function pad(text: string, w: number, align: "left" | "right"): string {
  return padToWidth(text, w, align);
}
