/**
 * notebooks/01-concurrency-basics.ipynb (and its Chinese edition in notebooks/zh/)
 * end to end through a real kernel, with a small SPINDLE_TIME_SCALE: every section
 * 1.1–1.4 has code cells with output, no cell fails, and the charts show what the
 * prose says (shapes, not speeds), read from the words each edition prints.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { startKernel } from "../../src/client";
import type { JupyterMessage } from "../../src/protocol";
import { parseXml } from "../display/xml";

const NOTEBOOKS = path.join(__dirname, "..", "..", "..", "notebooks");

const CLAIMS = {
  en: {
    file: path.join(NOTEBOOKS, "01-concurrency-basics.ipynb"),
    serial: /^serial: one worker, one job after another — 3 lane\(s\)/m,
    parallel: /^parallel: three threads on \d+ core\(s\) — 4 lane\(s\)/m,
    concurrent: "concurrent: one worker",
    jobs: ["job 1", "job 2", "job 3"],
    kinds: /^process +\S.*\n^thread +\S.*\n^coroutine \(task\) +\S/m,
    serialRow: /^serial \(one thread\) .* 1\.00×$/m,
    threadsRow: /^4 threads /m,
    synchronous: "synchronous — 2 lane(s)",
    asynchronous: "asynchronous — 2 lane(s)",
  },
  zh: {
    file: path.join(NOTEBOOKS, "zh", "01-concurrency-basics.ipynb"),
    serial: /^串行：一个人，一件接一件 — 3 条泳道/m,
    parallel: /^并行：三条线程，\d+ 个核 — 4 条泳道/m,
    concurrent: "并发：一个人",
    jobs: ["任务 1", "任务 2", "任务 3"],
    kinds: /^进程 +\S.*\n^线程 +\S.*\n^协程（任务） +\S/m,
    serialRow: /^串行（单线程） .* 1\.00×$/m,
    threadsRow: /^4 条线程 /m,
    synchronous: "同步 — 2 条泳道",
    asynchronous: "异步 — 2 条泳道",
  },
} as const;

interface Run {
  section: string;
  source: string;
  status: string;
  outputs: JupyterMessage[];
  text: string;
}

/** The A and B rows of the text chart titled `title`: the cells between the bars. */
function lanes(all: string, title: string): { a: string; b: string } {
  const lines = all.split("\n");
  const at = lines.findIndex((line) => line.startsWith(title));
  assert.ok(at >= 0, `a chart titled ${title}`);
  const rows = lines.slice(at + 1, at + 3);
  const cells = (name: string, row: string | undefined): string => {
    const m = new RegExp(`^${name} +\\|(.*)\\|$`).exec(row ?? "");
    assert.ok(m?.[1], `lane ${name} under ${title}: ${row}`);
    return m[1];
  };
  return { a: cells("A", rows[0]), b: cells("B", rows[1]) };
}

/** Column where the last run of █ in `lane` begins, or -1 when A never ran. */
function lastWorkStart(lane: string): number {
  const m = /█+[^█]*$/.exec(lane);
  return m ? m.index : -1;
}

/** One past the last column in which B's lane shows anything. */
function laneEnd(lane: string): number {
  return lane.trimEnd().length;
}

function textOf(m: JupyterMessage): string {
  const c = m.content as { text?: string; data?: Record<string, unknown>; ename?: string; evalue?: string };
  if (typeof c.text === "string") return c.text;
  if (c.data && typeof c.data["text/plain"] === "string") return c.data["text/plain"];
  if (c.ename) return `${c.ename}: ${c.evalue}`;
  return "";
}

for (const [lang, claims] of Object.entries(CLAIMS))
  test(`01-concurrency-basics (${lang}) runs end to end and its charts show what the prose says`, {
    timeout: 600_000,
  }, async () => {
    const nb = JSON.parse(fs.readFileSync(claims.file, "utf8")) as {
      cells: Array<{ cell_type: string; source: string[] | string }>;
    };
    const kernel = await startKernel({
      startupTimeout: 60,
      cwd: path.dirname(claims.file),
      env: { ...process.env, SPINDLE_TIME_SCALE: "0.2" },
      stderr: "ignore",
    });
    const runs: Run[] = [];
    try {
      let section = "";
      for (const cell of nb.cells) {
        const source = Array.isArray(cell.source) ? cell.source.join("") : cell.source;
        if (cell.cell_type === "markdown") {
          const heading = /^##\s+(\d+\.\d+ .*)$/m.exec(source);
          if (heading) section = heading[1] ?? section;
          continue;
        }
        const r = await kernel.client.execute(source, { timeout: 240 });
        runs.push({ section, source, status: r.status, outputs: r.outputs, text: r.outputs.map(textOf).join("\n") });
        if (r.status !== "ok") break;
      }
    } finally {
      await kernel.shutdown();
    }
    const failed = runs.filter((r) => r.status !== "ok" || r.outputs.some((o) => o.header.msg_type === "error"));
    assert.deepEqual(
      failed.map((r) => `[${r.section}] ${r.text.slice(0, 800)}\n${r.source.slice(0, 200)}`),
      [],
    );
    for (const n of [1, 2, 3, 4]) {
      const inSection = runs.filter((r) => r.section.startsWith(`1.${n} `));
      assert.ok(inSection.length > 0, `section 1.${n} has code cells`);
      assert.ok(
        inSection.some((r) => r.outputs.length > 0),
        `section 1.${n} has a code cell with output`,
      );
    }
    const all = runs.map((r) => r.text).join("\n");

    // 1.1 serial: a staircase of three job lanes on one worker.
    assert.match(all, claims.serial);
    // 1.1 parallel: three thread lanes plus the main thread waiting in join.
    assert.match(all, claims.parallel);
    assert.match(all, /^MainThread +\d.* +[\d.]+ m?s +[1-9][\d.]* m?s /m);
    // 1.1 concurrent: each job waited for its turn.
    const concurrent = runs.find((r) => r.text.startsWith(claims.concurrent));
    assert.ok(concurrent);
    for (const job of claims.jobs) assert.match(concurrent.text, new RegExp(`^${job} +\\|[█░ ]*░[█░ ]*\\|`, "m"));
    // The side-by-side charts render as valid SVG, one per way.
    const group = runs
      .flatMap((r) => r.outputs)
      .find(
        (m) =>
          typeof (m.content as { data?: Record<string, unknown> }).data?.["text/html"] === "string" &&
          String((m.content as { data: Record<string, unknown> }).data["text/html"]).includes("spindle-timelines"),
      );
    assert.ok(group, "timelines({ serial, parallel, concurrent }) was displayed");
    const html = parseXml(String((group.content as { data: Record<string, unknown> }).data["text/html"]));
    assert.equal(html.getElementsByTagName("svg").length, 3);

    // 1.2: the measured table has one row per kind.
    assert.match(all, claims.kinds);
    // 1.3: the compare table and the pool's two worker lanes.
    assert.match(all, claims.serialRow);
    assert.match(all, claims.threadsRow);
    assert.match(all, /^PoolWorker-1 +\|/m);
    assert.match(all, /^PoolWorker-2 +\|/m);
    // 1.4: synchronously, A waits through B's whole lane and its own work starts when B has ended;
    // asynchronously, A works while B is still sleeping. Read from columns, not widths: a busy
    // machine stretches A's work, never the order. One column of slack for the chart's rounding.
    const sync = lanes(all, claims.synchronous);
    const whileB = sync.a.slice(0, laneEnd(sync.b) - 1);
    assert.match(whileB, /^█*░+$/, `synchronous: A waits while B runs\n${sync.a}\n${sync.b}`);
    assert.ok(lastWorkStart(sync.a) >= laneEnd(sync.b) - 1, `synchronous: A works after B\n${sync.a}\n${sync.b}`);
    const async = lanes(all, claims.asynchronous);
    const firstWork = async.a.indexOf("█");
    assert.ok(
      firstWork >= 0 && firstWork < laneEnd(async.b) - 1,
      `asynchronous: A works while B sleeps\n${async.a}\n${async.b}`,
    );
  });
