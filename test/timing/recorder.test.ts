import { test } from "node:test";
import assert from "node:assert/strict";
import path from "node:path";
import { fork } from "node:child_process";
import { Worker } from "node:worker_threads";
import { isRecording, mark, recordEvent } from "../../src/recorder/record";
import { linkChildTimeline } from "../../src/recorder/process-link";
import { timeline, track } from "../../src/timing/timeline";
import { overlapSeconds, totalLength } from "../../src/timing/timeline-model";
import { parseXml } from "../display/xml";

const WORKER = path.join(__dirname, "fixtures", "lock-worker.js");

function runWorkers(mode: "parallel" | "locked", rounds = 4, holdMs = 15): Promise<void> {
  const shared = new Int32Array(new SharedArrayBuffer(16));
  const workers = [0, 1].map(
    (index) => new Worker(WORKER, { workerData: { name: `T${index}`, mode, shared, rounds, holdMs, index } }),
  );
  return withTimeout(
    Promise.all(
      workers.map(
        (w) =>
          new Promise<void>((resolve, reject) => {
            w.once("message", () => resolve());
            w.once("error", reject);
          }),
      ),
    ).then(() => undefined),
    20_000,
    () => workers.forEach((w) => void w.terminate()),
  ).finally(() => Promise.all(workers.map((w) => w.terminate())));
}

function withTimeout<T>(p: Promise<T>, ms: number, onTimeout: () => void): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      onTimeout();
      reject(new Error(`timed out after ${ms} ms`));
    }, ms);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

test("recording is off by default and outside timeline()", async () => {
  assert.equal(isRecording(), false);
  recordEvent("mark", "before");
  const tl = await timeline(() => {
    assert.equal(isRecording(), true);
    mark("inside");
    return 7;
  });
  assert.equal(isRecording(), false);
  recordEvent("mark", "after");
  assert.equal(tl.value, 7);
  assert.deepEqual(
    tl.events.map((e) => [e.kind, e.what, e.lane]),
    [["mark", "inside", "MainThread"]],
  );
});

test("two threads running in parallel overlap on the timeline", async () => {
  const tl = await timeline(() => runWorkers("parallel", 1, 60));
  const [a, b] = [tl.lane("T0"), tl.lane("T1")];
  assert.ok(a && b, `lanes: ${tl.lanes.map((l) => l.name).join(", ")}`);
  const both = overlapSeconds(a.running, b.running);
  assert.ok(both >= 0.055, `threads overlapped only ${both} s`);
  assert.equal(a.markers.filter((m) => m.what === "both running").length, 1);
});

test("two threads serialized by a lock never hold it at the same time", async () => {
  const rounds = 4;
  const tl = await timeline(() => runWorkers("locked", rounds, 10));
  const [a, b] = [tl.lane("T0"), tl.lane("T1")];
  assert.ok(a && b);
  assert.equal(a.holding.length, rounds);
  assert.equal(b.holding.length, rounds);
  assert.equal(overlapSeconds(a.holding, b.holding), 0);
  // Worker 1 started while worker 0 held the lock, and worker 0 kept it until that wait was recorded.
  assert.ok(b.waiting.length >= 1);
  assert.equal(overlapSeconds(b.waiting.slice(0, 1), a.holding.slice(0, 1)) > 0, true);
  // While one holds the lock the other is never holding: total held time is the sum of both.
  assert.ok(
    Math.abs(totalLength([...a.holding, ...b.holding]) - (totalLength(a.holding) + totalLength(b.holding))) < 1e-9,
  );
  const svg = tl.toSVG();
  const doc = parseXml(svg);
  assert.equal(doc.getElementsByTagName("svg").length, 1);
  const rects = Array.from(doc.getElementsByTagName("rect"));
  assert.ok(rects.some((r) => r.getAttribute("class") === "bar running"));
  assert.ok(rects.some((r) => r.getAttribute("class") === "bar waiting"));
  assert.ok(rects.filter((r) => r.getAttribute("class") === "hold").length >= 2);
  const text = tl.toText();
  assert.match(text, /^T0 +\|/m);
  assert.match(text, /^T1 +\|/m);
});

test("events from a child process reach the parent's timeline", async () => {
  const child = fork(path.join(__dirname, "fixtures", "child-recorder.js"), [], {
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  try {
    await withTimeout(new Promise((r) => child.once("message", r)), 20_000, () => child.kill());
    const unlink = linkChildTimeline(child);
    const tl = await timeline(async () => {
      child.send("go");
      await withTimeout(new Promise((r) => child.on("message", (m) => m === "done" && r(m))), 20_000, () =>
        child.kill(),
      );
    });
    unlink();
    const lane = tl.lane("Child-1");
    assert.ok(lane, `lanes: ${tl.lanes.map((l) => l.name).join(", ")}`);
    assert.equal(lane.pid, child.pid);
    assert.equal(lane.sleeping.length, 1);
    assert.ok((lane.sleeping[0]?.to ?? 0) - (lane.sleeping[0]?.from ?? 0) >= 0.045);
    assert.deepEqual(
      lane.markers.map((m) => m.what),
      ["child done"],
    );
  } finally {
    child.kill();
  }
});

test("a linked child that outlives many recordings gains no listeners from them", async () => {
  const child = fork(path.join(__dirname, "fixtures", "child-recorder.js"), [], {
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  try {
    await withTimeout(new Promise((r) => child.once("message", r)), 20_000, () => child.kill());
    const unlink = linkChildTimeline(child);
    const before = child.listenerCount("exit");
    for (let i = 0; i < 12; i++) await timeline(() => undefined);
    assert.equal(child.listenerCount("exit"), before);
    unlink();
  } finally {
    child.kill();
  }
});

test("track() makes a lane per task; nested timelines see their own window", async () => {
  const outer = await timeline(async () => {
    await track("A", () => new Promise((r) => setTimeout(r, 20)));
    const inner = await timeline(() => track("B", () => new Promise((r) => setTimeout(r, 20))));
    assert.deepEqual(
      inner.lanes.map((l) => l.name),
      ["B"],
    );
    return inner;
  });
  assert.deepEqual(
    outer.lanes.map((l) => l.name),
    ["A", "B"],
  );
  const [a, b] = [outer.lane("A"), outer.lane("B")];
  assert.ok(a && b && a.alive.to <= b.alive.from);
});

test("spindle/time sleep() shows as a sleeping span in its lane", async () => {
  const { sleep } = await import("../../src/concurrency/time/index");
  const tl = await timeline(() => track("sleeper", () => sleep(0.03)));
  const lane = tl.lane("sleeper");
  assert.ok(lane);
  assert.equal(lane.sleeping.length, 1);
  assert.equal(lane.sleeping[0]?.what, "sleep(0.03)");
  assert.ok((lane.sleeping[0]?.to ?? 0) - (lane.sleeping[0]?.from ?? 0) >= 0.025);
});

test("past the per-thread limit events are counted, not stored; starts and ends are always kept", async () => {
  const { PER_THREAD_LIMIT } = await import("../../src/recorder/record");
  const tl = await timeline(() => {
    for (let i = 0; i < PER_THREAD_LIMIT + 1234; i++) mark(`m${i % 3}`);
    recordEvent("end", "after the limit");
  });
  assert.equal(tl.events.filter((e) => e.kind === "mark").length, PER_THREAD_LIMIT);
  assert.equal(tl.events.filter((e) => e.kind === "end").length, 1);
  assert.deepEqual(tl.lost, { dropped: 0, limited: 1234 });
  assert.match(tl.toText(), /1234 events beyond the per-thread limit were counted but not drawn/);
});
