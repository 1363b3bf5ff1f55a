/** An OutputSink that records what a cell emitted, for tests of display code without a kernel. */
import { CellContext, type DisplayContent, type OutputSink } from "../../src/runtime/cell-context";

export type Recorded =
  | { kind: "stream"; name: "stdout" | "stderr"; text: string }
  | { kind: "display"; content: DisplayContent; update: boolean }
  | { kind: "clear"; wait: boolean };

export class RecordingSink implements OutputSink {
  readonly events: Recorded[] = [];
  stream(name: "stdout" | "stderr", text: string): void {
    this.events.push({ kind: "stream", name, text });
  }
  display(content: DisplayContent, update: boolean): void {
    this.events.push({ kind: "display", content, update });
  }
  clearOutput(wait: boolean): void {
    this.events.push({ kind: "clear", wait });
  }
  input(): Promise<string> {
    return Promise.reject(new Error("no stdin in tests"));
  }
  displays(): Array<{ content: DisplayContent; update: boolean }> {
    return this.events.flatMap((e) => (e.kind === "display" ? [{ content: e.content, update: e.update }] : []));
  }
}

/** A fresh cell whose outputs are recorded. */
export function recordingCell(count = 1): { cell: CellContext; sink: RecordingSink } {
  const sink = new RecordingSink();
  return { cell: new CellContext(`test-cell-${count}`, count, sink), sink };
}
