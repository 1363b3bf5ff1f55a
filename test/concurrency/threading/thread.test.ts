import { test } from "node:test";
import assert from "node:assert/strict";
import { runInCell } from "../../../src/runtime/cell-context";
import {
  Thread,
  Lock,
  currentThread,
  mainThread,
  activeCount,
  enumerate,
  getIdent,
  setExcepthook,
  RuntimeError,
  ValueError,
  shared,
  type ExceptHookArgs,
} from "../../../src/concurrency/threading";
import { sleep } from "../../../src/concurrency/time";
import { ShippingError } from "../../../src/concurrency/shipping";
import { until, within } from "../../helpers/wait";
import { recordingCell } from "./helpers";

const LONG = 30_000;
const greeting = "hello";

function greet(name: string, opts: { times: number }): void {
  for (let i = 0; i < opts.times; i++) console.log(`${greeting} ${name} ${i}`);
}

test("a function target runs on another thread with args and kwargs; output lands in its cell, in order", async () => {
  const { cell, sink } = recordingCell();
  const t = runInCell(cell, () => {
    const thread = new Thread({ target: greet, args: ["t1"], kwargs: { times: 3 } });
    thread.start();
    return thread;
  });
  assert.equal(t.name.startsWith("Thread-") && t.name.endsWith("(greet)"), true, t.name);
  await within(t.join(), LONG, "join");
  assert.equal(t.isAlive(), false);
  assert.equal(sink.text(), "hello t1 0\nhello t1 1\nhello t1 2\n");
});

test("output printed after the starting cell returned still lands in that cell", async () => {
  const { cell, sink } = recordingCell();
  const other = recordingCell();
  const t = runInCell(cell, () => {
    const thread = new Thread({
      target: async () => {
        await sleep(0.05);
        console.log("late line");
      },
    });
    thread.start();
    return thread;
  });
  // Another "cell" runs meanwhile.
  runInCell(other.cell, () => undefined);
  await within(t.join(), LONG, "join");
  assert.equal(sink.text(), "late line\n");
  assert.equal(other.sink.text(), "");
});

class SumThread extends Thread {
  result = 0;
  seen = "";
  constructor(readonly n: number) {
    super();
    this.name = `worker-${n}`;
  }
  override run(): void {
    let sum = 0;
    for (let i = 1; i <= this.n; i++) sum += i;
    this.result = sum;
    this.seen = `${currentThread().name}/${currentThread() === this}`;
  }
}

test("a Thread subclass runs its run() remotely and its fields are copied back at join", async () => {
  const w = new SumThread(100);
  w.start();
  await within(w.join(), LONG, "join");
  assert.equal(w.result, 5050);
  assert.equal(w.seen, "worker-100/true");
  assert.equal(w.name, "worker-100");
});

test("thread identity: ident, currentThread, mainThread, activeCount, enumerate", async () => {
  const gate = shared({ go: 0 });
  const info = shared({ ident: 0, isMain: false }, {});
  const t = new Thread({
    target: async () => {
      info.ident = getIdent();
      info.isMain = currentThread() === mainThread();
      while (gate.go === 0) await sleep(0.005);
    },
    name: "probe",
  });
  assert.equal(t.ident, undefined);
  t.start();
  assert.equal(typeof t.ident, "number");
  assert.ok(t.isAlive());
  assert.ok(activeCount() >= 2);
  assert.ok(enumerate().includes(t));
  assert.equal(enumerate()[0], mainThread());
  assert.equal(currentThread().name, "MainThread");
  assert.equal(getIdent(), 1);
  await until(() => info.ident !== 0, LONG, "the thread to report its ident");
  gate.go = 1;
  await within(t.join(), LONG, "join");
  assert.equal(info.ident, t.ident);
  assert.equal(info.isMain, false);
  assert.ok(!enumerate().includes(t));
  assert.match(String(t), /^<Thread\(probe, stopped \d+\)>$/);
});

test("join(timeout) returns after the timeout while the thread is still alive", async () => {
  const gate = shared({ go: 0 });
  const t = new Thread({
    target: async () => {
      while (gate.go === 0) await sleep(0.005);
    },
  });
  t.start();
  await within(t.join(0.05), LONG, "join with timeout");
  assert.equal(t.isAlive(), true);
  gate.go = 1;
  await within(t.join(), LONG, "join");
  assert.equal(t.isAlive(), false);
});

test("misuse is reported like Python: join before start, start twice, daemon after start", async () => {
  const t = new Thread({ target: () => 1 });
  await assert.rejects(
    t.join(),
    (err: unknown) => err instanceof RuntimeError && err.code === "ERR_SPINDLE_THREAD_NOT_STARTED",
  );
  t.start();
  assert.throws(() => t.start(), RuntimeError);
  assert.throws(() => (t.daemon = true), RuntimeError);
  await within(t.join(), LONG, "join");
});

test("a captured let is refused at start(), naming the variable", () => {
  let counter = 0;
  counter += 1;
  const t = new Thread({ target: () => counter + 1 });
  assert.throws(
    () => t.start(),
    (err: unknown) => err instanceof ShippingError && /'counter'/.test(err.message),
  );
  assert.equal(t.isAlive(), false);
});

test("an uncaught error prints like Python's excepthook; join does not throw; others go on", async () => {
  const { cell, sink } = recordingCell();
  const [bad, good] = runInCell(cell, () => {
    const b = new Thread({
      name: "crasher",
      target: () => {
        throw new RangeError("out of range");
      },
    });
    const g = new Thread({ target: () => console.log("still fine") });
    b.start();
    g.start();
    return [b, g];
  });
  await within(Promise.all([bad.join(), good.join()]), LONG, "joins");
  const err = sink.text("stderr");
  assert.match(err, /^Exception in thread crasher:\nRangeError: out of range\n\s+at /);
  assert.ok(err.includes(__filename), "the stack points into this file");
  assert.equal(sink.text(), "still fine\n");
});

test("errors keep class, message, code and own properties across threads (excepthook)", async () => {
  const seen: ExceptHookArgs[] = [];
  setExcepthook((args) => seen.push(args));
  try {
    const t = new Thread({
      target: () => {
        const e = new ValueError("bad value", "ERR_TEST_BAD");
        (e as unknown as { detail: unknown }).detail = { why: 42 };
        throw e;
      },
    });
    t.start();
    await within(t.join(), LONG, "join");
  } finally {
    setExcepthook(undefined);
  }
  assert.equal(seen.length, 1);
  const { excValue, excType, thread } = seen[0]!;
  assert.equal(excType, "ValueError");
  assert.ok(excValue instanceof ValueError);
  assert.equal((excValue as ValueError).code, "ERR_TEST_BAD");
  assert.equal(excValue.message, "bad value");
  assert.deepEqual((excValue as unknown as { detail: unknown }).detail, { why: 42 });
  assert.match(excValue.stack ?? "", /ValueError: bad value/);
  assert.equal(thread.isAlive(), false);
});

test("a non-daemon thread holds its cell; a daemon thread does not", async () => {
  const { cell } = recordingCell();
  const gate = shared({ go: 0 });
  const [daemon, normal] = runInCell(cell, () => {
    const d = new Thread({
      daemon: true,
      target: async () => {
        while (gate.go < 2) await sleep(0.005);
      },
    });
    const n = new Thread({
      target: async () => {
        while (gate.go < 1) await sleep(0.005);
      },
    });
    d.start();
    n.start();
    return [d, n];
  });
  let settled = false;
  const holds = cell.settleHolds().then(() => (settled = true));
  await sleep(0.05);
  assert.equal(settled, false, "the non-daemon thread keeps the cell running");
  gate.go = 1;
  await within(holds, LONG, "cell holds");
  assert.equal(normal.isAlive(), false);
  assert.equal(daemon.isAlive(), true, "the daemon thread did not hold the cell");
  gate.go = 2;
  await within(daemon.join(), LONG, "daemon join");
});

test("interrupting the cell stops its threads, even a busy loop, and frees the locks they held", async () => {
  const { cell, sink } = recordingCell();
  const lock = new Lock();
  const started = shared({ n: 0 });
  const spinner = runInCell(cell, () => {
    const t = new Thread({
      name: "spinner",
      target: async () => {
        await lock.acquire();
        started.n = 1;
        for (;;) {
          // Busy forever while holding the lock.
        }
      },
    });
    t.start();
    return t;
  });
  await until(() => started.n === 1, LONG, "the spinner to take the lock");
  assert.equal(lock.locked(), true);
  await cell.interrupt();
  await within(spinner.join(), LONG, "join after interrupt");
  assert.equal(spinner.isAlive(), false);
  assert.equal(lock.locked(), false, "the stopped thread's lock was released");
  assert.match(sink.text("stderr"), /Thread 'spinner' was stopped by the interrupt/);
  assert.equal(await within(lock.acquire({ timeout: 5 }), LONG, "acquire after interrupt"), true);
  lock.release();
});

test("another thread can join a thread it was handed", async () => {
  const gate = shared({ go: 0, order: "" });
  const first = new Thread({
    target: async () => {
      while (gate.go === 0) await sleep(0.005);
      gate.order += "first;";
    },
  });
  first.start();
  const second = new Thread({
    target: async (other: Thread) => {
      await other.join();
      gate.order += `second saw alive=${other.isAlive()};`;
    },
    args: [first],
  });
  second.start();
  await sleep(0.05);
  gate.go = 1;
  await within(Promise.all([first.join(), second.join()]), LONG, "joins");
  assert.equal(gate.order, "first;second saw alive=false;");
});
