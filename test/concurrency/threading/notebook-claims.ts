/**
 * What the threads notebook claims, checked against the text it printed — shared by the plain-Node run
 * (notebook.test.ts) and the run through the kernel (kernel.int.test.ts).
 */
import assert from "node:assert/strict";

/** Asserts the claims of notebooks/02-threads.ipynb on its stdout (and report text). */
export function assertThreadsNotebookClaims(out: string, reports: string): void {
  assert.match(out, /threads alive right after start\(\): 2\n/);
  assert.match(out, /inside the thread: I am probe \(ident \d+\); the main thread is MainThread/);
  for (const name of ["t1", "t2", "m1", "m2"]) {
    assert.match(out, new RegExp(`thread ${name}: start\\n[\\s\\S]*thread ${name}: 2\\n[\\s\\S]*thread ${name}: end`));
  }
  assert.match(out, /after join: {2}total = 500500/);
  assert.match(out, /after join\(0\.5\): j1\.isAlive\(\) = true/);
  assert.match(out, /ticker\.daemon = true/);
  assert.match(out, /two threads: [\d.]+× the speed/);

  // 2.7: without a lock the bank pays out more than it had (overdrawn, or a lost update); with one, never.
  assert.match(out, /paid out 160 from an account that held 100; final balance: (-60|20)\n/);
  assert.match(out, /final balance: 20\n/);
  assert.match(out, /not enough money/);
  const without = Number(/without a lock: paid out more than the account held in (\d+) of 20 runs/.exec(out)?.[1]);
  assert.ok(without >= 1, `the race pays out too much without a lock (in ${without} of 20 runs)`);
  assert.match(out, /with a lock: {4}paid out more than the account held in 0 of 20 runs/);

  // 2.8: the deadlock is found and reported, naming the threads and the locks; lock ordering fixes it.
  assert.match(out, /deadlock between cook[12] and cook[12]/);
  assert.match(reports, /Deadlock detected:\n {2}cook[12] holds (knife|pot) and waits for (pot|knife)\n {2}cook[12] holds/);
  assert.match(out, /both cooks are done: no deadlock/);

  // 2.9: the semaphore's bound holds.
  const most = Number(/at most (\d+) people were inside at once/.exec(out)?.[1]);
  assert.ok(most >= 1 && most <= 2, `at most 2 inside (saw ${most})`);
  assert.equal((out.match(/enters the room/g) ?? []).length, 7);

  // 2.10: everyone waits for the event, then all start.
  assert.equal((out.match(/starts eating!/g) ?? []).length, 3);
  assert.ok(out.indexOf("let's eat!") < out.indexOf("starts eating!"), "nobody eats before the host says so");

  // 2.11: the bounded queue never holds more than five; every bun is eaten in order.
  const fullest = Number(/never held more than (\d+) buns/.exec(out)?.[1]);
  assert.ok(fullest >= 0 && fullest <= 5, `basket within maxsize (saw ${fullest})`);
  const eaten = [...out.matchAll(/ate bun #(\d+)/g)].map((m) => Number(m[1]));
  assert.deepEqual(eaten, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
}
