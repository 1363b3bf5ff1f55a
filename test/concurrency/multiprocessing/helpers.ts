/** Test helpers: a cell that records its output, process liveness (waits: test/helpers/wait.ts). */
import { readFileSync } from "node:fs";
import { CellContext, type OutputSink } from "../../../src/runtime/cell-context";

/** A cell whose stream output is recorded. */
export function recordingCell(id = "cell-1"): {
  cell: CellContext;
  out: { name: string; text: string }[];
  text(name?: string): string;
} {
  const out: { name: string; text: string }[] = [];
  const sink: OutputSink = {
    stream: (name, text) => out.push({ name, text }),
    display: () => undefined,
    clearOutput: () => undefined,
    input: async () => "",
  };
  return {
    cell: new CellContext(id, 1, sink),
    out,
    text: (name?: string) =>
      out
        .filter((o) => !name || o.name === name)
        .map((o) => o.text)
        .join(""),
  };
}

/** True while a process with `pid` exists and is not a zombie (dead, waiting to be reaped). */
export function isRunning(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2)[0] !== "Z";
  } catch {
    return false;
  }
}
