/** Escaping for the text formats Spindle generates (HTML, SVG/XML, Markdown tables). */

const XML_ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

/** Escapes text for HTML or XML element content and attribute values. */
export function escapeXml(text: string): string {
  // Control characters other than tab/newline are not allowed in XML 1.0 at all.
  return text.replace(/[&<>"']/g, (c) => XML_ESCAPES[c] ?? c).replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F]/g, "");
}

/** Escapes text for one cell of a GitHub-flavoured Markdown table. */
export function escapeMarkdownCell(text: string): string {
  return text.replace(/\\/g, "\\\\").replace(/\|/g, "\\|").replace(/\r?\n/g, "<br>");
}
