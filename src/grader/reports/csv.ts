/**
 * grades.csv: one row per graded cell — student, cell (grade_id), points, max.
 * Manually graded cells have an empty points field. Rows are sorted by student,
 * then by the cell order of the assignment, so a sharded run merges back to
 * the very file a single run writes.
 */
import { GraderError } from "../errors";

/** One row of grades.csv. */
export interface GradeRow {
  student: string;
  cell: string;
  /** undefined: graded by hand. */
  points: number | undefined;
  max: number;
  /** Why the cell was voided ("killed: memory limit 1 GiB", "environment modified: …"); empty otherwise. */
  note?: string;
}

/** The header line of grades.csv. */
export const CSV_HEADER = ["student", "cell", "points", "max", "note"] as const;
/** The header of grades.csv files written before the note column. */
const OLD_HEADER = ["student", "cell", "points", "max"] as const;

/** Formats rows as CSV (RFC 4180 quoting, "\n" line ends), sorted by student with each student's rows in order. */
export function formatGradesCsv(rows: GradeRow[]): string {
  const lines = [CSV_HEADER.join(",")];
  for (const r of sortRows(rows)) {
    const fields = [
      text(r.student),
      text(r.cell),
      r.points === undefined ? "" : formatNumber(r.points),
      formatNumber(r.max),
      text(r.note ?? ""),
    ];
    lines.push(fields.map(quote).join(","));
  }
  return lines.join("\n") + "\n";
}

/** Parses a grades.csv written by `formatGradesCsv`; `where` names the file in errors. */
export function parseGradesCsv(text: string, where: string): GradeRow[] {
  const records = parseCsv(text, where);
  const header = records.shift();
  const width = header?.join(",") === CSV_HEADER.join(",") ? 5 : header?.join(",") === OLD_HEADER.join(",") ? 4 : 0;
  if (!header || width === 0) {
    throw new GraderError(
      `${where} is not a grades.csv written by spindle grade: its first line must be "${CSV_HEADER.join(",")}".`,
      "ERR_GRADER_BAD_CSV",
    );
  }
  return records.map((rec, i) => {
    if (rec.length !== width)
      throw new GraderError(
        `${where}, line ${i + 2}: expected ${width} fields, found ${rec.length}.`,
        "ERR_GRADER_BAD_CSV",
      );
    const [student = "", cell = "", points = "", max = "", note = ""] = rec.map(untext);
    const p = points === "" ? undefined : Number(points);
    const m = Number(max);
    if ((p !== undefined && !Number.isFinite(p)) || max === "" || !Number.isFinite(m)) {
      throw new GraderError(
        `${where}, line ${i + 2}: points and max must be numbers (got "${points}", "${max}").`,
        "ERR_GRADER_BAD_CSV",
      );
    }
    return note === "" ? { student, cell, points: p, max: m } : { student, cell, points: p, max: m, note };
  });
}

/** Stable order: students by code point, each student's rows kept in the order given. */
export function sortRows(rows: GradeRow[]): GradeRow[] {
  return rows
    .map((row, i) => ({ row, i }))
    .sort((a, b) => (a.row.student < b.row.student ? -1 : a.row.student > b.row.student ? 1 : a.i - b.i))
    .map((x) => x.row);
}

/** Numbers as people write them: 2, 0.5, 1.25 (never 2.0000000001 from float sums). */
export function formatNumber(n: number): string {
  return String(Math.round(n * 1e9) / 1e9);
}

/**
 * Text a spreadsheet would run as a formula (leading =, +, -, @, tab or CR: a student named
 * "=HYPERLINK(...)") gets a leading apostrophe, OWASP's advice; parsing takes it off again.
 */
function text(field: string): string {
  return /^['=+\-@\t\r]/.test(field) ? `'${field}` : field;
}

function untext(field: string): string {
  return /^'['=+\-@\t\r]/.test(field) ? field.slice(1) : field;
}

function quote(field: string): string {
  return /[",\r\n]/.test(field) ? `"${field.replace(/"/g, '""')}"` : field;
}

function parseCsv(text: string, where: string): string[][] {
  const records: string[][] = [];
  let field = "";
  let record: string[] = [];
  let i = 0;
  let quoted = false;
  while (i < text.length) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i += 2;
        continue;
      }
      if (ch === '"') {
        quoted = false;
        i++;
        continue;
      }
      field += ch;
      i++;
      continue;
    }
    if (ch === '"' && field === "") {
      quoted = true;
      i++;
      continue;
    }
    if (ch === ",") {
      record.push(field);
      field = "";
      i++;
      continue;
    }
    if (ch === "\r" && text[i + 1] === "\n") {
      i++;
      continue;
    }
    if (ch === "\n") {
      record.push(field);
      records.push(record);
      record = [];
      field = "";
      i++;
      continue;
    }
    field += ch;
    i++;
  }
  if (quoted)
    throw new GraderError(`${where} ends inside a quoted field; the file is cut short.`, "ERR_GRADER_BAD_CSV");
  if (field !== "" || record.length > 0) {
    record.push(field);
    records.push(record);
  }
  return records;
}
