/**
 * Executor costs, measured through ExecutorHost (IPC included): cold start
 * with and without the start-up snapshot, the first cell, and per-cell cost
 * of type-checked cells — new source each time vs the same source again.
 */
import os from "node:os";
import { ExecutorHost } from "../src/executor/host";
import type { MessageHeader } from "../src/protocol/header";

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

let counter = 0;
async function execute(host: ExecutorHost, code: string): Promise<number> {
  const id = `bench-${++counter}`;
  const parent: MessageHeader = {
    msg_id: id,
    session: "bench",
    username: "bench",
    date: "",
    msg_type: "execute_request",
    version: "5.3",
  };
  const t0 = performance.now();
  const reply = await host.request({
    type: "execute",
    id,
    parent,
    code,
    executionCount: counter,
    silent: false,
    storeHistory: true,
    userExpressions: {},
    allowStdin: false,
  });
  if (reply.status !== "ok") throw new Error(`bench cell failed: ${JSON.stringify(reply)}`);
  return performance.now() - t0;
}

function start(snapshot: boolean): ExecutorHost {
  const env = { ...process.env, SPINDLE_EXECUTOR_SNAPSHOT: snapshot ? "1" : "0" };
  return ExecutorHost.start({
    cwd: os.tmpdir(),
    env,
    onOutput: () => undefined,
    onInputRequest: () => undefined,
    log: () => undefined,
  });
}

/** Prints the executor table. */
export async function run(): Promise<void> {
  const rows: [string, string][] = [];
  for (const snapshot of [true, false]) {
    const ready: number[] = [];
    const first: number[] = [];
    for (let i = 0; i < 3; i++) {
      const t0 = performance.now();
      const host = start(snapshot);
      await host.ready;
      ready.push(performance.now() - t0);
      first.push(await execute(host, "const greeting: string = 'hi';\ngreeting.length"));
      await host.shutdown();
    }
    const how = snapshot ? "from snapshot" : "plain start";
    rows.push([`executor ready (${how}), median of 3`, `${percentile(ready, 50).toFixed(0)} ms`]);
    rows.push([`first cell after ready (${how})`, `${percentile(first, 50).toFixed(1)} ms`]);
  }
  const host = start(true);
  await host.ready;
  const fresh: number[] = [];
  for (let i = 0; i < 100; i++) fresh.push(await execute(host, `${i} + 1`));
  const same: number[] = [];
  for (let i = 0; i < 200; i++) same.push(await execute(host, "1 + 1"));
  const declaring: number[] = [];
  for (let i = 0; i < 100; i++) declaring.push(await execute(host, `let v${i}: number = ${i};`));
  await host.shutdown();
  rows.push([
    "new trivial cell, type-checked: p50 / p95",
    `${percentile(fresh, 50).toFixed(1)} / ${percentile(fresh, 95).toFixed(1)} ms`,
  ]);
  rows.push([
    "unchanged trivial cell: p50 / p95",
    `${percentile(same, 50).toFixed(1)} / ${percentile(same, 95).toFixed(1)} ms`,
  ]);
  rows.push([
    "cell declaring a new name (100 in a row): p50 / p95",
    `${percentile(declaring, 50).toFixed(1)} / ${percentile(declaring, 95).toFixed(1)} ms`,
  ]);
  const width = Math.max(...rows.map((r) => r[0].length));
  process.stdout.write(`| ${"measure".padEnd(width)} | value |\n|${"-".repeat(width + 2)}|-------|\n`);
  for (const [k, v] of rows) process.stdout.write(`| ${k.padEnd(width)} | ${v} |\n`);
}
