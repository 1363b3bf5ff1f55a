import { test } from "node:test";
import assert from "node:assert/strict";
import { Pool, Process } from "../../src/concurrency/multiprocessing";
import { sleep } from "../../src/concurrency/time/index";
import { timeline } from "../../src/timing/timeline";
import { overlapSeconds } from "../../src/timing/timeline-model";

test("a Process is a lane of its own; the parent's join is a wait", { timeout: 60_000 }, async () => {
  const tl = await timeline(async () => {
    const p = new Process({
      target: async (s: number) => {
        await sleep(s);
      },
      args: [0.05],
      name: "napper",
    });
    p.start();
    await p.join();
  });
  const lane = tl.lane("napper");
  assert.ok(lane, `lanes: ${tl.lanes.map((l) => l.name).join(", ")}`);
  assert.notEqual(lane.pid, process.pid);
  assert.equal(lane.sleeping.length, 1);
  assert.ok(lane.alive.to > lane.alive.from);
  const main = tl.lane("MainThread");
  assert.ok(main);
  assert.deepEqual(
    main.waiting.map((w) => w.what),
    ["join napper"],
  );
  // The parent waited for the whole life of the child.
  assert.ok(overlapSeconds(main.waiting, [lane.alive]) >= (lane.alive.to - lane.alive.from) * 0.99);
});

test("Pool workers are lanes that run tasks and wait between them; two workers overlap", {
  timeout: 60_000,
}, async () => {
  const pool = new Pool(2);
  try {
    await pool.map((x: number) => x, [1, 2]); // workers up before recording
    const busy = (ms: number): number => {
      const end = Date.now() + ms;
      let n = 0;
      while (Date.now() < end) n++;
      return n;
    };
    const tl = await timeline(() => pool.map(busy, [80, 80, 80, 80], 1));
    const workers = tl.lanes.filter((l) => l.name.startsWith("PoolWorker-"));
    assert.equal(workers.length, 2, `lanes: ${tl.lanes.map((l) => l.name).join(", ")}`);
    for (const w of workers) {
      assert.ok(w.running.length >= 1);
      assert.ok(w.waiting.every((iv) => iv.what === "next task"));
    }
    const [a, b] = workers;
    assert.ok(a && b && overlapSeconds(a.running, b.running) > 0.05, "the two workers ran tasks at the same time");
  } finally {
    await pool.terminate();
  }
});
