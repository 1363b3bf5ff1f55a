/**
 * notebooks/04-coroutines.ipynb and its Chinese edition notebooks/zh/04-coroutines.ipynb end to end through a real
 * executor process, with a small SPINDLE_TIME_SCALE: every section 4.1–4.6 has a heading and a code cell with
 * output, no cell fails, and the notebook's claims hold (read from the lines each edition prints).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import path from "node:path";
import { runNotebook, type CellRun } from "./notebook-runner";

const NOTEBOOKS = path.join(__dirname, "..", "..", "..", "..", "notebooks");

const CLAIMS = {
  en: {
    file: path.join(NOTEBOOKS, "04-coroutines.ipynb"),
    chopped: "cook: chopping the carrot",
    boiling: "kettle: boiling",
    tutorialSwitch:
      /type of g: \[object Generator\]\nShanghai: line 0\nBeijing: line 0\nShanghai: line 1\nBeijing: line 1\nShanghai: line 2\nBeijing: line 2\n/,
    interleaved: /Lisbon: line 0\n\s+Oslo: line 0\n\s+Lisbon: line 1/,
    results: /\[ 'func1 done', 'func2 done' \]/,
    gathered: /a: request sent\n\s+b: request sent\n\s+c: request sent\n\s+a: reply received/,
    race: /without a lock: balance -60\nwith an asyncio Lock: balance 20/,
    limited: /9 pages fetched, at most 3 at a time/,
  },
  zh: {
    file: path.join(NOTEBOOKS, "zh", "04-coroutines.ipynb"),
    chopped: "厨师：切胡萝卜",
    boiling: "水壶：水开了",
    tutorialSwitch:
      /g 的类型：\[object Generator\]\n上海：第0次打印了\n北京：第0次打印啦\n上海：第1次打印了\n北京：第1次打印啦\n上海：第2次打印了\n北京：第2次打印啦\n/,
    interleaved: /北京：第0次打印\n\s+上海：第0次打印\n\s+北京：第1次打印/,
    results: /\[ 'func1执行完毕', 'func2执行完毕' \]/,
    gathered: /a：请求已发出\n\s+b：请求已发出\n\s+c：请求已发出\n\s+a：收到回复/,
    race: /不加锁：余额 -60\n加 asyncio 的 Lock：余额 20/,
    limited: /抓取了 9 页，同时最多 3 个/,
  },
} as const;

for (const [lang, claims] of Object.entries(CLAIMS)) {
  test(`04-coroutines (${lang}) runs end to end and shows what it claims`, { timeout: 600_000 }, async () => {
    const runs: CellRun[] = await runNotebook(claims.file, 0.05);
    const failed = runs.filter((r) => r.reply.status !== "ok" || r.outputs.some((o) => o.msgType === "error"));
    assert.deepEqual(
      failed.map((r) => `[${r.section}] ${r.text.slice(0, 500)}\n${r.source.slice(0, 200)}`),
      [],
    );

    for (const n of [1, 2, 3, 4, 5, 6]) {
      const inSection = runs.filter((r) => r.section?.startsWith(`4.${n} `));
      assert.ok(inSection.length > 0, `section 4.${n} has a heading and code cells`);
      assert.ok(
        inSection.some((r) => r.outputs.length > 0),
        `section 4.${n} has a code cell with output`,
      );
    }

    const all = runs.map((r) => r.text).join("\n");
    // 4.1: the cook chopped while the kettle waited.
    assert.ok(all.indexOf(claims.chopped) >= 0 && all.indexOf(claims.chopped) < all.indexOf(claims.boiling));
    // 4.2: local state survived both pauses.
    assert.match(all, /next\(3\)\s+-> \{ value: 33, done: true \}/);
    // 4.5: the tutorial's func2 drives func1 with next(): a generator object, lines alternating; the scheduler too.
    assert.match(all, claims.tutorialSwitch);
    assert.match(all, claims.interleaved);
    // 4.6: gather returns the results in order, overlaps the waits, and a race across await is fixed by the Lock.
    assert.match(all, claims.results);
    assert.match(all, claims.gathered);
    assert.match(all, claims.race);
    // 4.6: the Semaphore keeps the gathered fetches to three at a time.
    assert.match(all, claims.limited);
  });
}
