import { test } from "node:test";
import assert from "node:assert/strict";
import { runInCell } from "../../../src/runtime/cell-context";
import { Thread, Lock, Barrier, onDeadlock, type DeadlockReport } from "../../../src/concurrency/threading";
import { sleep } from "../../../src/concurrency/time";
import { within } from "../../helpers/wait";
import { recordingCell } from "./helpers";

const LONG = 30_000;

const knife = new Lock();
const pot = new Lock();
// Both cooks hold their first tool before either reaches for the second: the deadlock happens every time,
// however long each thread took to start.
const bothHoldOne = new Barrier(2);

async function cookA(): Promise<void> {
  await knife.acquire();
  await bothHoldOne.wait();
  await pot.acquire();
  pot.release();
  knife.release();
}

async function cookB(): Promise<void> {
  await pot.acquire();
  await bothHoldOne.wait();
  await knife.acquire();
  knife.release();
  pot.release();
}

test("two threads taking two locks in opposite order: the deadlock is reported, and the interrupt ends it", async () => {
  const { cell, sink } = recordingCell();
  const reports: DeadlockReport[] = [];
  const stop = onDeadlock((r) => reports.push(r));
  try {
    const [a, b] = runInCell(cell, () => {
      const ta = new Thread({ target: cookA, name: "cook-A" });
      const tb = new Thread({ target: cookB, name: "cook-B" });
      ta.start();
      tb.start();
      return [ta, tb];
    });
    const started = performance.now();
    while (reports.length === 0 && performance.now() - started < LONG) await sleep(0.02);
    assert.equal(reports.length, 1, "reported once");
    const report = reports[0];
    assert.deepEqual(report!.threads.map((t) => t.name).sort(), ["cook-A", "cook-B"]);
    const a2 = report!.threads.find((t) => t.name === "cook-A")!;
    assert.equal(a2.holds, "knife");
    assert.equal(a2.waitsFor, "pot");
    assert.match(report!.text, /cook-B holds pot and waits for knife/);
    assert.match(report!.text, /same order/);
    const shown = sink.displays.find((d) => typeof d.data["text/html"] === "string");
    assert.ok(shown, "shown as rich output in the cell");
    assert.match(String(shown.data["text/plain"]), /Deadlock detected/);
    assert.match(String(shown.data["text/html"]), /<table>/);
    assert.equal(a.isAlive() && b.isAlive(), true, "both are stuck");
    await cell.interrupt();
    await within(Promise.all([a.join(), b.join()]), LONG, "joins after interrupt");
    assert.equal(knife.locked() || pot.locked(), false, "their locks were released");
  } finally {
    stop();
  }
});

test("taking the locks in one order never deadlocks", async () => {
  const reports: DeadlockReport[] = [];
  const stop = onDeadlock((r) => reports.push(r));
  const cook = async (rounds: number) => {
    for (let i = 0; i < rounds; i++) {
      await knife.acquire();
      await pot.acquire();
      pot.release();
      knife.release();
    }
  };
  try {
    const threads = [new Thread({ target: cook, args: [200] }), new Thread({ target: cook, args: [200] })];
    for (const t of threads) t.start();
    await within(Promise.all(threads.map((t) => t.join())), LONG, "ordered cooks");
    assert.equal(reports.length, 0);
  } finally {
    stop();
  }
});

test("a thread waiting for a Lock it already holds is reported with advice to use an RLock", async () => {
  const { cell } = recordingCell();
  const reports: DeadlockReport[] = [];
  const stop = onDeadlock((r) => reports.push(r));
  const lock = new Lock();
  try {
    const t = runInCell(cell, () => {
      const th = new Thread({
        name: "twice",
        target: async () => {
          await lock.acquire();
          await lock.acquire();
        },
      });
      th.start();
      return th;
    });
    const started = performance.now();
    while (reports.length === 0 && performance.now() - started < LONG) await sleep(0.02);
    assert.equal(reports[0]?.threads.length, 1);
    assert.equal(reports[0]!.threads[0]!.name, "twice");
    assert.match(reports[0].text, /RLock/);
    await cell.interrupt();
    await within(t.join(), LONG, "join");
    assert.equal(lock.locked(), false);
  } finally {
    stop();
  }
});
