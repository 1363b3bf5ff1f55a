/**
 * The feedback page a student gets: total, a table of graded cells, what had
 * to be restored, then each graded cell with the source they saw, its output
 * and its score. Self-contained HTML (inline CSS), nothing fetched.
 */
import { escapeXml as esc } from "../../display/escape";
import { formatNumber } from "./csv";
import type { Output } from "../../nbformat/notebook";
import type { GradedCell, SubmissionResult } from "./results";

const CSS = `body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#222}
table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.3rem .6rem;text-align:left}
pre{background:#f6f6f6;padding:.6rem;overflow-x:auto;white-space:pre-wrap}
.err{background:#fdecea}.note{background:#fff7e0;padding:.5rem;border-left:4px solid #e0a800}
.passed{color:#1a7f37}.failed,.timeout,.unanswered,.voided{color:#c62828}.partial{color:#b26a00}.manual{color:#555}
section{border-top:1px solid #ddd;margin-top:1.5rem}`;

/** The HTML feedback page of one graded submission. */
export function feedbackHtml(result: SubmissionResult, assignmentName: string): string {
  const rows = result.cells
    .map(
      (c) =>
        `<tr><td><a href="#${esc(c.gradeId)}">${esc(c.gradeId)}</a></td><td>${scoreText(c)}</td><td class="${c.reason}">${label(c)}</td></tr>`,
    )
    .join("\n");
  const changes =
    result.changes.length === 0
      ? ""
      : `<div class="note"><strong>Changes found in your notebook</strong><ul>${result.changes.map((ch) => `<li>${esc(ch.message)}</li>`).join("")}</ul></div>`;
  const flags =
    (result.flags ?? []).length === 0
      ? ""
      : `<div class="note"><strong>Your notebook was stopped or changed what the tests rely on</strong><ul>${(result.flags ?? []).map((f) => `<li>${esc(f)}</li>`).join("")}</ul></div>`;
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Feedback: ${esc(assignmentName)} — ${esc(result.student)}</title><style>${CSS}</style></head>
<body>
<h1>Feedback: ${esc(assignmentName)}</h1>
<p>Student: <strong>${esc(result.student)}</strong> — score <strong>${formatNumber(result.total)} / ${formatNumber(result.max)}</strong>${
    result.cells.some((c) => c.score === undefined) ? " (answers graded by hand are not counted yet)" : ""
  }</p>
${flags}${changes}
<table><thead><tr><th>Cell</th><th>Score</th><th>Result</th></tr></thead><tbody>
${rows}
</tbody></table>
${result.cells.map(cellSection).join("\n")}
</body></html>
`;
}

function cellSection(c: GradedCell): string {
  const message = c.message ? `<p class="${c.reason}"><strong>${esc(c.message)}</strong></p>` : "";
  const outputs = c.shownOutputs.map(outputHtml).join("\n");
  const hiddenNote = c.hidden
    ? "<p><em>This cell also runs hidden tests; their code and output are not shown.</em></p>"
    : "";
  return `<section id="${esc(c.gradeId)}"><h2>${esc(c.gradeId)} — ${scoreText(c)}</h2>
<pre><code>${esc(c.visibleSource)}</code></pre>
${hiddenNote}${message}${outputs}</section>`;
}

function outputHtml(o: Output): string {
  switch (o.output_type) {
    case "stream":
      return `<pre class="${o.name === "stderr" ? "err" : ""}">${esc(o.text)}</pre>`;
    case "error":
      return `<pre class="err">${esc(o.traceback.length > 0 ? o.traceback.join("\n") : `${o.ename}: ${o.evalue}`)}</pre>`;
    default: {
      const png = o.data["image/png"];
      if (typeof png === "string") return `<img alt="cell output" src="data:image/png;base64,${esc(png.trim())}">`;
      const text = o.data["text/plain"];
      return typeof text === "string" ? `<pre>${esc(text)}</pre>` : "";
    }
  }
}

function scoreText(c: GradedCell): string {
  return c.score === undefined ? `? / ${formatNumber(c.max)}` : `${formatNumber(c.score)} / ${formatNumber(c.max)}`;
}

function label(c: GradedCell): string {
  const labels: Record<GradedCell["reason"], string> = {
    passed: "passed",
    failed: "failed",
    partial: "partial credit",
    unanswered: "no answer",
    manual: "graded by hand",
    timeout: "time limit exceeded",
    voided: "scored 0",
  };
  return labels[c.reason];
}
