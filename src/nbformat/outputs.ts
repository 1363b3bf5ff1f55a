/**
 * Turns a cell's iopub messages into nbformat outputs as Jupyter frontends
 * store them: consecutive stream text merged, clear_output (also with wait)
 * honoured, update_display_data applied to every output with its display id.
 * Used by `spindle run` (client) and the grader's notebook runner alike.
 */
import type { Output } from "./notebook";

/** An iopub message of a cell, as Jupyter names it. */
export interface IopubOutput {
  msg_type: "stream" | "display_data" | "update_display_data" | "execute_result" | "error" | "clear_output";
  content: Record<string, unknown>;
}

/** A whole Jupyter message as the kernel client receives it (only the parts read here). */
export interface IopubMessage {
  header: { msg_type: string };
  content: object;
}

/** Collects the outputs of one cell. */
export class OutputCollector {
  readonly outputs: Output[] = [];
  #clearPending = false;
  readonly #displays = new Map<string, Output[]>();

  /** Adds one iopub message (either shape); messages that are not outputs are ignored. */
  add(msg: IopubOutput | IopubMessage): void {
    const type = "header" in msg ? msg.header.msg_type : msg.msg_type;
    const c = msg.content as Record<string, unknown>;
    if (type === "clear_output") {
      if (c.wait === true) this.#clearPending = true;
      else this.#clear();
      return;
    }
    if (type === "update_display_data") {
      const id = displayId(c);
      for (const o of (id && this.#displays.get(id)) || []) {
        if ("data" in o) Object.assign(o, { data: record(c.data), metadata: record(c.metadata) });
      }
      return;
    }
    const out = toOutput(type, c);
    if (!out) return;
    if (this.#clearPending) this.#clear();
    const last = this.outputs[this.outputs.length - 1];
    if (out.output_type === "stream" && last?.output_type === "stream" && last.name === out.name) {
      last.text += out.text;
      return;
    }
    this.outputs.push(out);
    const id = displayId(c);
    if (id && out.output_type !== "stream" && out.output_type !== "error") {
      this.#displays.set(id, [...(this.#displays.get(id) ?? []), out]);
    }
  }

  /** Appends an output made by the runner itself (a time-limit error). */
  push(output: Output): void {
    this.outputs.push(output);
  }

  #clear(): void {
    this.outputs.length = 0;
    this.#clearPending = false;
  }
}

/** Plain text of an output: stream text, text/plain of rich outputs, or the error's traceback. */
export function outputText(out: Output): string {
  switch (out.output_type) {
    case "stream":
      return out.text;
    case "error":
      return (out.traceback.length > 0 ? out.traceback.join("\n") : `${out.ename}: ${out.evalue}`) + "\n";
    default: {
      const text = out.data["text/plain"];
      if (typeof text === "string") return text.endsWith("\n") ? text : text + "\n";
      const mimes = Object.keys(out.data);
      return `[${mimes.join(", ") || "empty output"}]\n`;
    }
  }
}

function toOutput(type: string, c: Record<string, unknown>): Output | undefined {
  switch (type) {
    case "stream":
      return { output_type: "stream", name: c.name === "stderr" ? "stderr" : "stdout", text: String(c.text ?? "") };
    case "error":
      return {
        output_type: "error",
        ename: String(c.ename ?? "Error"),
        evalue: String(c.evalue ?? ""),
        traceback: Array.isArray(c.traceback) ? c.traceback.map(String) : [],
      };
    case "execute_result":
      return {
        output_type: "execute_result",
        data: record(c.data),
        metadata: record(c.metadata),
        execution_count: typeof c.execution_count === "number" ? c.execution_count : null,
      };
    case "display_data":
      return { output_type: "display_data", data: record(c.data), metadata: record(c.metadata) };
    default:
      return undefined;
  }
}

function displayId(c: Record<string, unknown>): string | undefined {
  const t = c.transient as { display_id?: unknown } | undefined;
  return typeof t?.display_id === "string" ? t.display_id : undefined;
}

function record(v: unknown): Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}
