/** Test helpers: bounded waits, a cell that records its output, process liveness. */
import { readFileSync } from "node:fs";
import { CellContext, type OutputSink } from "../../../src/runtime/cell-context";

/** Rejects if `p` does not settle within `ms` milliseconds. */
export async function within<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms: ${what}`)), ms);
  });
  try {
    return await Promise.race([p, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** A cell whose stream output is recorded. */
export function recordingCell(id = "cell-1"): { cell: CellContext; out: { name: string; text: string }[]; text(name?: string): string } {
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
    text: (name?: string) => out.filter((o) => !name || o.name === name).map((o) => o.text).join(""),
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

/** Polls `cond` every 20 ms until true or `ms` passes; resolves with the last value. */
export async function eventually(cond: () => boolean, ms: number): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (cond()) return true;
    await new Promise((r) => setTimeout(r, 20));
  }
  return cond();
}
