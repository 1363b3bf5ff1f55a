/**
 * What the threads notebook claims, checked against the text it printed — shared by the plain-Node run
 * (notebook.test.ts) and the run through the kernel (kernel.int.test.ts), for both editions: the English
 * notebook (notebooks/02-threads.ipynb) and the Chinese one (notebooks/zh/02-threads.ipynb) print the
 * same facts in their own words.
 */
import assert from "node:assert/strict";

/** The printed lines each claim is read from, per edition. */
const LINES = {
  en: {
    aliveAfterStart: /threads alive right after start\(\): 2\n/,
    probe: /inside the thread: I am probe \(ident \d+\); the main thread is MainThread/,
    threadLines: (name: string) =>
      new RegExp(`thread ${name}: start\\n[\\s\\S]*thread ${name}: 2\\n[\\s\\S]*thread ${name}: end`),
    afterJoin: /after join: {2}total = 500500/,
    joinTimeout: /after join\(0\.5\): j1\.isAlive\(\) = true/,
    held: /this cell started ([\d.]+) s \(notebook seconds\) after the previous one/,
    ordinaryFinished: /ordinary thread: finished all 10 ticks/,
    daemonFinished: /daemon thread: finished all 10 ticks/,
    twoThreads: /two threads: [\d.]+× the speed/,
    raced: /paid out 160 from an account that held 100; final balance: (-60|20)\n/,
    locked: /final balance: 20\n/,
    notEnough: /not enough money/,
    without: /without a lock: paid out more than the account held in (\d+) of 20 runs/,
    withLock: /with a lock: {4}paid out more than the account held in 0 of 20 runs/,
    deadlock: /deadlock between cook[12] and cook[12]/,
    ordered: /both cooks are done: no deadlock/,
    timeoutEscape: /both cooks ate: the timeout broke the deadlock/,
    semaphore5: /Semaphore\(5\): at most (\d+) people were inside at once/,
    semaphore2: /at most (\d+) people were inside at once \(the semaphore allows 2\)/,
    enters: /enters the room/g,
    eats: /starts eating!/g,
    host: "let's eat!",
    guest: /guest: the bell rang after (\d+) timed-out checks/,
    afterSet: /after set\(\): {3}isSet\(\) = true, wait\(0\.2\) returns true/,
    afterClear: /after clear\(\): isSet\(\) = false, wait\(0\.2\) returns false/,
    basket: /never held more than (\d+) buns/,
    eaten: /ate bun #(\d+)/g,
    blockedAtPut: /the producer spent ([\d.]+) s \(notebook seconds\) blocked at put\(\)/,
    pastBarrier: /worker\d: past the barrier of round (\d) \(arrived \d of 3\); (\d) of 3 finished the round/g,
    brokenBarrier: /(ann|bob): BrokenBarrierError after waiting 0\.5 s; broken = true/g,
    overdrawn: /Error: overdrawn: money = -60/,
  },
  zh: {
    aliveAfterStart: /start\(\) 之后存活的线程数：2\n/,
    probe: /线程内部：我是 probe（ident \d+）；主线程叫 MainThread/,
    threadLines: (name: string) =>
      new RegExp(`线程${name}，start\\n[\\s\\S]*线程${name}，2\\n[\\s\\S]*线程${name}，end`),
    afterJoin: /join 之后：total = 500500/,
    joinTimeout: /join\(0\.5\) 之后：j1\.isAlive\(\) = true/,
    held: /本单元在上一个单元开始 ([\d.]+) 秒（笔记本秒）后才开始/,
    ordinaryFinished: /普通线程：十下全部数完/,
    daemonFinished: /守护线程：十下全部数完/,
    twoThreads: /两条线程：速度是单线程做完两份的 [\d.]+ 倍/,
    raced: /从只有 100 元的账户里一共取出了 160 元；最终余额：(-60|20)\n/,
    locked: /最终余额：20\n/,
    notEnough: /账户余额不足！/,
    without: /不加锁：20 次中有 (\d+) 次付出的钱超过了账户里的钱/,
    withLock: /加锁： {2}20 次中有 0 次付出的钱超过了账户里的钱/,
    deadlock: /发生死锁：fun[12] 和 fun[12]/,
    ordered: /两个人都做完了饭：没有死锁/,
    timeoutEscape: /两个人都吃上了饭：超时打破了死锁/,
    semaphore5: /Semaphore\(5\)：房间里同时最多有 (\d+) 人/,
    semaphore2: /房间里同时最多有 (\d+) 人（信号量允许 2 人）/,
    enters: /进入房间/g,
    eats: /开始吃咯！/g,
    host: "主线程通知小伙伴开吃咯！",
    guest: /客人：(\d+) 次超时之后，终于开饭了/,
    afterSet: /set\(\) 之后： {2}isSet\(\) = true，wait\(0\.2\) 返回 true/,
    afterClear: /clear\(\) 之后：isSet\(\) = false，wait\(0\.2\) 返回 false/,
    basket: /馒头筐里从来没有超过 (\d+) 个馒头/,
    eaten: /获取馒头：大馒头：(\d+)号/g,
    blockedAtPut: /生产者在满筐的 put\(\) 处阻塞了 ([\d.]+) 秒/,
    pastBarrier: /工人\d：通过第 (\d) 轮的栅栏（第 \d 个到达，共 3 个）；本轮已有 (\d) \/ 3 人完成/g,
    brokenBarrier: /(ann|bob)：等了 0\.5 秒后得到 BrokenBarrierError；broken = true/g,
    overdrawn: /Error: 透支了：money = -60/,
  },
} as const;

/** How the notebook ran: which edition, and whether its cells were real kernel cells (a non-daemon thread holds one). */
export interface ClaimsOptions {
  lang?: "en" | "zh";
  cellsHold?: boolean;
}

/** Asserts the claims of the threads notebook on its stdout (and report text). */
export function assertThreadsNotebookClaims(out: string, reports: string, options: ClaimsOptions = {}): void {
  const L = LINES[options.lang ?? "en"];
  const number = (re: RegExp): number => Number(re.exec(out)?.[1]);
  assert.match(out, L.aliveAfterStart);
  assert.match(out, L.probe);
  for (const name of ["t1", "t2", "m1", "m2"]) assert.match(out, L.threadLines(name));
  assert.match(out, L.afterJoin);
  assert.match(out, L.joinTimeout);
  assert.match(out, /ticker\.daemon = true/);
  assert.match(out, L.twoThreads);

  // 2.5: a non-daemon thread holds its cell (for its 2 s sleep); in a child process, the program waits for a
  // non-daemon thread and cuts a daemon thread off when its main function returns.
  assert.match(out, L.held);
  if (options.cellsHold)
    assert.ok(number(L.held) >= 1.5, `the cell after the non-daemon thread's waited for it (${number(L.held)} s)`);
  assert.match(out, L.ordinaryFinished);
  assert.doesNotMatch(out, L.daemonFinished);

  // 2.7: without a lock the bank pays out more than it had (overdrawn, or a lost update); with one, never.
  assert.match(out, L.raced);
  assert.match(out, L.locked);
  assert.match(out, L.notEnough);
  const without = number(L.without);
  assert.ok(without >= 1, `the race pays out too much without a lock (in ${without} of 20 runs)`);
  assert.match(out, L.withLock);

  // 2.8: the deadlock is found and reported, naming the threads and the locks; lock ordering and timeouts fix it.
  assert.match(out, L.deadlock);
  assert.match(
    reports,
    /Deadlock detected:\n {2}(cook|fun)[12] holds (knife|pot) and waits for (pot|knife)\n {2}(cook|fun)[12] holds/,
  );
  assert.match(out, L.ordered);
  assert.match(out, L.timeoutEscape);

  // 2.9: the semaphore's bound holds, with 5 places as the tutorial's code, then with 2.
  const most5 = number(L.semaphore5);
  assert.ok(most5 >= 1 && most5 <= 5, `at most 5 inside (saw ${most5})`);
  const most2 = number(L.semaphore2);
  assert.ok(most2 >= 1 && most2 <= 2, `at most 2 inside (saw ${most2})`);
  assert.equal((out.match(L.enters) ?? []).length, 14);

  // 2.10: everyone waits for the event, then all start; wait(timeout) returns false until set, clear() lowers it.
  assert.equal((out.match(L.eats) ?? []).length, 3);
  assert.ok(
    out.indexOf(L.host) >= 0 && out.indexOf(L.host) < out.search(L.eats),
    "nobody eats before the host says so",
  );
  assert.ok(number(L.guest) >= 2, "the guest's timed waits returned false until the bell");
  assert.match(out, L.afterSet);
  assert.match(out, L.afterClear);

  // 2.10 (Barrier): nobody passes a round's barrier before all three finished that round; a party missing breaks it.
  const passed = [...out.matchAll(L.pastBarrier)].map((m) => [Number(m[1]), Number(m[2])] as const);
  assert.equal(passed.length, 9, "three workers passed three barriers");
  for (const [round, done] of passed)
    assert.equal(done, 3, `a worker passed round ${round}'s barrier with ${done} of 3 done`);
  assert.equal((out.match(L.brokenBarrier) ?? []).length, 2, "both waits of a barrier missing a party fail");

  // 2.11: the bounded queue never holds more than five; every bun is eaten in order; the producer blocked at put().
  const fullest = number(L.basket);
  assert.ok(fullest >= 0 && fullest <= 5, `basket within maxsize (saw ${fullest})`);
  const eaten = [...out.matchAll(L.eaten)].map((m) => Number(m[1]));
  assert.deepEqual(eaten, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  assert.ok(number(L.blockedAtPut) > 0, "the producer waited at put() on the full basket");
}

/** Asserts what the notebook's schedule explorations showed (only a kernel runs `%%explore` cells). */
export function assertThreadsNotebookExplored(shown: string, options: ClaimsOptions = {}): void {
  const L = LINES[options.lang ?? "en"];
  // 2.7: the unlocked withdrawal is overdrawn in some schedule; with the lock, none of 1,000 fails.
  assert.match(shown, /Failure found in schedule \d+ of 100 \(random, seed 7\)/);
  assert.match(shown, L.overdrawn);
  assert.match(shown, /No failure in 1000 schedules \(random, seed 7/);
  // 2.8: the philosophers' opposite lock orders deadlock in some schedule; 2.11: the bounded buffer survives 500.
  assert.match(shown, /Deadlock found in schedule \d+ of 100 \(random, seed 7\)/);
  // The report is about the explored philosophers, not the cooks an earlier cell left deadlocked.
  assert.match(shown, /\(philosopher[AB]\) holds (leftFork|rightFork) and waits for (leftFork|rightFork)/);
  assert.match(shown, /No failure in 500 schedules \(random, seed 7/);
}
