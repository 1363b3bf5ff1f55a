import { test, after } from "node:test";
import assert from "node:assert/strict";
import { runShutdownHooks } from "../../../src/runtime/lifecycle";
import { EOFError, Pipe, Process, Queue } from "../../../src/concurrency/multiprocessing";
import * as tasks from "./fixtures/tasks";
import { within } from "../../helpers/wait";

after(() => runShutdownHooks());

test("a duplex pipe talks both ways with a child; closing gives the child EOFError", async () => {
  const [mine, theirs] = Pipe<string>();
  const report = new Queue<string>();
  const p = new Process({ target: tasks.echoOnce, args: [theirs, report] });
  p.start();
  mine.send("ping");
  assert.equal(await within(mine.recv(), 60000, "echo"), "echo:ping");
  mine.close();
  assert.equal(await within(report.get(), 60000, "report"), "EOFError");
  await within(p.join(), 60000, "join");
});

test("buffered data is delivered after the other end closes, then EOFError", async () => {
  const [a, b] = Pipe<number>();
  const p = new Process({ target: tasks.sendThenClose, args: [b, [1, 2, 3]] });
  p.start();
  await within(p.join(), 60000, "join");
  assert.deepEqual([await a.recv(), await a.recv(), await a.recv()], [1, 2, 3]);
  await assert.rejects(
    a.recv(),
    (e: Error) => e instanceof EOFError && (e as EOFError).code === "ERR_SPINDLE_PIPE_EOF",
  );
  assert.equal(await a.poll(), true); // EOF counts as readable, as in Python
});

test("a recv already waiting gets EOFError when the other end closes", async () => {
  const [a, b] = Pipe();
  const waiting = a.recv();
  b.close();
  await assert.rejects(within(waiting, 5000, "recv"), EOFError);
});

test("a one-way pipe refuses the wrong direction with a clear error", async () => {
  const [r, w] = Pipe<number>(false);
  assert.equal(r.writable, false);
  assert.equal(w.readable, false);
  assert.throws(
    () => r.send(1),
    (e: Error & { code?: string }) => e.code === "ERR_SPINDLE_PIPE_DIRECTION" && /read-only/.test(e.message),
  );
  await assert.rejects(
    w.recv(),
    (e: Error & { code?: string }) => e.code === "ERR_SPINDLE_PIPE_DIRECTION" && /write-only/.test(e.message),
  );
  w.send(5);
  assert.equal(await r.recv(), 5);
});

test("poll waits up to its timeout; recv on a closed end is an error", async () => {
  const [a, b] = Pipe();
  assert.equal(await a.poll(), false);
  const t0 = performance.now();
  assert.equal(await a.poll(0.1), false);
  assert.ok(performance.now() - t0 >= 90);
  setTimeout(() => b.send("late"), 50);
  assert.equal(await within(a.poll(5), 30000, "poll"), true);
  assert.equal(await a.recv(), "late");
  a.close();
  await assert.rejects(a.recv(), /closed connection/);
});
