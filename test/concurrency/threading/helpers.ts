/** Test helpers for threads: a cell whose outputs are recorded, and waits that always end. */
import { CellContext, type DisplayContent, type OutputSink } from "../../../src/runtime/cell-context";

/** An OutputSink that records streams and displays. */
export class RecordingSink implements OutputSink {
  readonly streams: Array<{ name: "stdout" | "stderr"; text: string }> = [];
  readonly displays: DisplayContent[] = [];
  stream(name: "stdout" | "stderr", text: string): void {
    this.streams.push({ name, text });
  }
  display(content: DisplayContent): void {
    this.displays.push(content);
  }
  clearOutput(): void {}
  input(): Promise<string> {
    return Promise.reject(new Error("no stdin in tests"));
  }
  /** Everything written to `name`, joined. */
  text(name: "stdout" | "stderr" = "stdout"): string {
    return this.streams
      .filter((s) => s.name === name)
      .map((s) => s.text)
      .join("");
  }
}

let cells = 0;

/** A fresh cell with a recording sink. */
export function recordingCell(): { cell: CellContext; sink: RecordingSink } {
  const sink = new RecordingSink();
  return { cell: new CellContext(`threads-test-${++cells}`, cells, sink), sink };
}
