/** The summary table `spindle grade` prints when it is done. */
import { formatNumber } from "./csv";
import type { SubmissionResult } from "./results";

/** A plain-text table: one row per submission, then the class mean. */
export function summaryTable(results: SubmissionResult[]): string {
  const rows = [...results]
    .sort((a, b) => (a.student < b.student ? -1 : a.student > b.student ? 1 : 0))
    .map((r) => [
      r.student,
      r.status === "graded" ? formatNumber(r.total) : "-",
      r.status === "graded" ? formatNumber(r.max) : "-",
      r.status === "graded" ? notes(r) : `${r.status.toUpperCase()} (see below)`,
      r.seconds.toFixed(1),
    ]);
  const graded = results.filter((r) => r.status === "graded");
  const header = ["student", "score", "max", "notes", "seconds"];
  const table = [header, ...rows];
  const widths = header.map((_, col) =>
    Math.max(...table.map((row) => Math.min(row[col]?.length ?? 0, col === 3 ? 70 : Infinity))),
  );
  const line = (row: string[]) =>
    row
      .map((cell, col) =>
        col === 1 || col === 2 || col === 4 ? cell.padStart(widths[col] ?? 0) : cell.padEnd(widths[col] ?? 0),
      )
      .join("  ")
      .trimEnd();
  const out = [line(header), widths.map((w) => "-".repeat(w)).join("  "), ...rows.map(line)];
  const failed = results.filter((r) => r.status !== "graded");
  if (failed.length > 0) {
    out.push("", "Not graded:");
    for (const r of failed) out.push(`  ${r.student}: ${r.error ?? r.status}`);
  }
  if (graded.length > 0) {
    const mean = graded.reduce((s, r) => s + r.total, 0) / graded.length;
    out.push(
      "",
      `${graded.length} graded, ${results.length - graded.length} not graded; mean score ${formatNumber(Math.round(mean * 100) / 100)} / ${formatNumber(graded[0]?.max ?? 0)}`,
    );
  } else {
    out.push("", `0 graded, ${results.length} not graded`);
  }
  return out.join("\n") + "\n";
}

function notes(r: SubmissionResult): string {
  const parts: string[] = [...(r.flags ?? [])];
  const edited = r.changes.filter((c) => c.kind === "edited-locked").map((c) => c.gradeId);
  if (edited.length > 0) parts.push(`edited locked: ${edited.join(", ")}`);
  const deleted = r.changes.filter((c) => c.kind === "deleted").map((c) => c.gradeId);
  if (deleted.length > 0) parts.push(`deleted: ${deleted.join(", ")}`);
  const timeouts = r.cells.filter((c) => c.reason === "timeout").map((c) => c.gradeId);
  if (timeouts.length > 0) parts.push(`timed out: ${timeouts.join(", ")}`);
  const manual = r.cells.filter((c) => c.reason === "manual").length;
  if (manual > 0) parts.push(`${manual} to grade by hand`);
  return parts.join("; ");
}
