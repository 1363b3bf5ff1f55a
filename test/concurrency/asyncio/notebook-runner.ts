/**
 * Runs a notebook's code cells, in order, through a real executor process
 * (the path the kernel uses) and collects each cell's outputs.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { ExecutorHost } from "../../../src/executor/host";
import type { ExecutorOutput } from "../../../src/executor/ipc-messages";
import type { MessageHeader } from "../../../src/protocol/header";

/** One executed code cell. */
export interface CellRun {
  source: string;
  /** The markdown heading (`## 4.3 …`) the cell sits under. */
  section: string | undefined;
  reply: Record<string, unknown>;
  outputs: ExecutorOutput[];
  /** All text the cell produced: streams, text/plain of results and displays, error text. */
  text: string;
}

/** Executes every code cell of `notebookPath` with SPINDLE_TIME_SCALE = `timeScale`. */
export async function runNotebook(notebookPath: string, timeScale: number, perCellMs = 120_000): Promise<CellRun[]> {
  const nb = JSON.parse(fs.readFileSync(notebookPath, "utf8")) as {
    cells: Array<{ cell_type: string; source: string | string[] }>;
  };
  const outputs = new Map<string, ExecutorOutput[]>();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "spindle-nb-"));
  const host = ExecutorHost.start({
    cwd: dir,
    env: { ...process.env, SPINDLE_TIME_SCALE: String(timeScale) },
    onOutput: (parent, out) => {
      const list = outputs.get(parent.msg_id) ?? [];
      list.push(out);
      outputs.set(parent.msg_id, list);
    },
    onInputRequest: () => undefined,
    log: () => undefined,
  });
  const runs: CellRun[] = [];
  let section: string | undefined;
  let count = 0;
  try {
    for (const cell of nb.cells) {
      const source = Array.isArray(cell.source) ? cell.source.join("") : cell.source;
      if (cell.cell_type === "markdown") {
        const heading = /^##\s+(.+)$/m.exec(source);
        if (heading) section = heading[1]!.trim();
        continue;
      }
      if (cell.cell_type !== "code") continue;
      count++;
      const parent: MessageHeader = {
        msg_id: `nb-${count}-${Math.random().toString(16).slice(2)}`,
        session: "nb",
        username: "nb",
        date: new Date().toISOString(),
        msg_type: "execute_request",
        version: "5.3",
      };
      let timer: NodeJS.Timeout | undefined;
      const reply = await Promise.race([
        host.request({
          type: "execute",
          id: parent.msg_id,
          parent,
          code: source,
          executionCount: count,
          silent: false,
          storeHistory: true,
          userExpressions: {},
          allowStdin: false,
        }),
        new Promise<never>((_, reject) => {
          timer = setTimeout(
            () => reject(new Error(`cell ${count} did not finish within ${perCellMs} ms:\n${source}`)),
            perCellMs,
          );
        }),
      ]).finally(() => clearTimeout(timer));
      await new Promise((r) => setTimeout(r, 50)); // late batched output
      const outs = outputs.get(parent.msg_id) ?? [];
      runs.push({ source, section, reply, outputs: outs, text: outs.map(textOf).join("") });
    }
  } finally {
    await host.shutdown();
  }
  return runs;
}

function textOf(o: ExecutorOutput): string {
  switch (o.msgType) {
    case "stream":
      return o.content.text;
    case "error":
      return `${o.content.ename}: ${o.content.evalue}\n${o.content.traceback.join("\n")}\n`;
    case "clear_output":
    case "comm_open":
    case "comm_msg":
    case "comm_close":
      return "";
    default: {
      const plain = o.content.data["text/plain"];
      return typeof plain === "string" ? `${plain}\n` : "";
    }
  }
}
