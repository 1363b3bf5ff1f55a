/**
 * Turns a cell's iopub messages into nbformat outputs as Jupyter frontends
 * store them: consecutive stream text merged, clear_output (also with wait)
 * honoured, update_display_data applied to the display it names.
 */
import type { IopubOutput } from "../grader/running/kernel-session";
import type { Output } from "./notebook";

/** Collects the outputs of one cell. */
export class OutputCollector {
  readonly outputs: Output[] = [];
  #clearPending = false;
  #displays = new Map<string, Output[]>();

  /** Adds one iopub message. */
  add(msg: IopubOutput): void {
    const c = msg.content;
    if (msg.msg_type === "clear_output") {
      if (c.wait === true) this.#clearPending = true;
      else this.#clear();
      return;
    }
    if (msg.msg_type === "update_display_data") {
      const id = displayId(c);
      for (const o of (id && this.#displays.get(id)) || []) {
        if ("data" in o) Object.assign(o, { data: record(c.data), metadata: record(c.metadata) });
      }
      return;
    }
    if (this.#clearPending) this.#clear();
    const out = toOutput(msg);
    const last = this.outputs[this.outputs.length - 1];
    if (out.output_type === "stream" && last?.output_type === "stream" && last.name === out.name) {
      last.text += out.text;
      return;
    }
    this.outputs.push(out);
    const id = displayId(c);
    if (id && msg.msg_type === "display_data") this.#displays.set(id, [...(this.#displays.get(id) ?? []), out]);
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

function toOutput(msg: IopubOutput): Output {
  const c = msg.content;
  switch (msg.msg_type) {
    case "stream":
      return { output_type: "stream", name: c.name === "stderr" ? "stderr" : "stdout", text: String(c.text ?? "") };
    case "error":
      return {
        output_type: "error", ename: String(c.ename ?? "Error"), evalue: String(c.evalue ?? ""),
        traceback: Array.isArray(c.traceback) ? c.traceback.map(String) : [],
      };
    case "execute_result":
      return { output_type: "execute_result", data: record(c.data), metadata: record(c.metadata), execution_count: typeof c.execution_count === "number" ? c.execution_count : null };
    default:
      return { output_type: "display_data", data: record(c.data), metadata: record(c.metadata) };
  }
}

function displayId(c: Record<string, unknown>): string | undefined {
  const t = c.transient as { display_id?: unknown } | undefined;
  return typeof t?.display_id === "string" ? t.display_id : undefined;
}

function record(v: unknown): Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}
