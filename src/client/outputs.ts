/**
 * Turns a cell's iopub messages into nbformat outputs, as a notebook frontend
 * would: consecutive stream text merged, clear_output (with wait) honoured,
 * update_display_data applied to the outputs with the same display_id.
 */
import type { JupyterMessage } from "../protocol";
import type { NotebookOutput } from "./notebook";

/** Collects one cell's outputs from its iopub messages. */
export class OutputCollector {
  readonly outputs: NotebookOutput[] = [];
  #clearPending = false;
  readonly #displays = new Map<string, Set<NotebookOutput>>();

  /** Applies one iopub message (others than outputs are ignored). */
  add(message: JupyterMessage): void {
    // Content as the kernel sent it; every field is checked or defaulted below.
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const c = message.content as Record<string, any>;
    switch (message.header.msg_type) {
      case "clear_output":
        if (c.wait) this.#clearPending = true;
        else this.#clear();
        return;
      case "update_display_data": {
        const id = c.transient?.display_id;
        for (const out of (typeof id === "string" && this.#displays.get(id)) || []) {
          if (out.output_type === "display_data" || out.output_type === "execute_result") {
            out.data = c.data ?? {};
            out.metadata = c.metadata ?? {};
          }
        }
        return;
      }
      case "stream":
        this.#flushClear();
        this.#stream(c.name === "stderr" ? "stderr" : "stdout", String(c.text ?? ""));
        return;
      case "display_data":
        this.#flushClear();
        this.#push({ output_type: "display_data", data: c.data ?? {}, metadata: c.metadata ?? {} }, c.transient?.display_id);
        return;
      case "execute_result":
        this.#flushClear();
        this.#push({ output_type: "execute_result", data: c.data ?? {}, metadata: c.metadata ?? {}, execution_count: c.execution_count ?? null }, c.transient?.display_id);
        return;
      case "error":
        this.#flushClear();
        this.#push({ output_type: "error", ename: String(c.ename ?? "Error"), evalue: String(c.evalue ?? ""), traceback: Array.isArray(c.traceback) ? c.traceback.map(String) : [] }, undefined);
        return;
    }
  }

  #stream(name: "stdout" | "stderr", text: string): void {
    const last = this.outputs[this.outputs.length - 1];
    if (last?.output_type === "stream" && last.name === name) last.text += text;
    else this.outputs.push({ output_type: "stream", name, text });
  }

  #push(out: NotebookOutput, displayId: unknown): void {
    this.outputs.push(out);
    if (typeof displayId === "string") {
      const set = this.#displays.get(displayId) ?? new Set();
      set.add(out);
      this.#displays.set(displayId, set);
    }
  }

  #flushClear(): void {
    if (this.#clearPending) this.#clear();
  }

  #clear(): void {
    this.#clearPending = false;
    this.outputs.length = 0;
  }
}

/** Plain text of an output: stream text, text/plain of rich outputs, or the error's traceback. */
export function outputText(out: NotebookOutput): string {
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
