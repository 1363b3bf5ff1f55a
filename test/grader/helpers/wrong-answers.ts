/**
 * One typical wrong answer per sample assignment (the whole answer cell), with the score the author
 * intends for each autograded cell whose verdict does not depend on timing.
 */

/** A wrong answer and the scores it must get. */
export interface WrongAnswer {
  /** What is wrong, in a few words. */
  mistake: string;
  /** The answer cell's source. */
  answer: string;
  /** grade_id → points, for every code test cell not marked `spindle.measures_time`. */
  expect: Record<string, number>;
}

/** By assignment name. */
export const WRONG_ANSWERS: Record<string, WrongAnswer> = {
  "bank-account": {
    mistake: "releases the lock only after a successful withdrawal: a refused one leaves it held",
    expect: { t_never_overdrawn: 3, t_released: 0 },
    answer: `async function withdraw(account: { balance: number }, lock: Lock, amount: number): Promise<boolean> {
  await lock.acquire();
  if (account.balance < amount) return false;
  pause(5);
  account.balance -= amount;
  lock.release();
  return true;
}`,
  },
  "lock-order": {
    mistake: "takes the locks in argument order (from, then to)",
    expect: { t_order: 0, t_money: 2 },
    answer: `function lockOrder(a: Account, b: Account): [Lock, Lock] {
  return [a.lock, b.lock];
}

async function transfer(from: Account, to: Account, amount: number): Promise<boolean> {
  const [first, second] = lockOrder(from, to);
  await first.acquire();
  try {
    await second.acquire();
    try {
      if (from.money.balance < amount) return false;
      from.money.balance -= amount;
      to.money.balance += amount;
      return true;
    } finally {
      second.release();
    }
  } finally {
    first.release();
  }
}`,
  },
  "semaphore-gate": {
    mistake: "waits for the doors but ignores the semaphore",
    expect: { t_gate: 2, t_limit: 0 },
    answer: `async function guest(name: string, doors: Event, places: Semaphore, house: House): Promise<void> {
  await doors.wait();
  await visit(house, name);
}`,
  },
  "barrier-rounds": {
    mistake: "right totals, but no barrier: reads the round as soon as it wrote",
    expect: { t_total: 1, t_rounds: 0, t_reuse: 0 },
    answer: `function roundTotal(game: Game, round: number): number {
  let total = 0;
  for (let id = 0; id < game.parties; id++) total += Atomics.load(game.board, round * game.parties + id);
  return total;
}

async function worker(game: Game, id: number, barrier: Barrier): Promise<void> {
  for (let r = 0; r < game.rounds; r++) {
    await writeMine(game, r, id);
    report(game, r, id, roundTotal(game, r));
  }
}`,
  },
  "producer-consumer": {
    mistake: "a buffer whose put ignores the free places (no bound)",
    expect: { t_in_order: 3, t_bound: 0 },
    answer: `function makeBuffer(maxsize: number) {
  return { items: new Queue<Item>(), free: new Semaphore(maxsize) };
}

async function put(buffer: ReturnType<typeof makeBuffer>, item: Item): Promise<void> {
  await buffer.items.put(item);
}

async function take(buffer: ReturnType<typeof makeBuffer>): Promise<Item> {
  return buffer.items.get();
}`,
  },
  "process-queue": {
    mistake: "stops at any falsy item, so a task 0 ends the worker",
    expect: { t_squares: 2, t_pids: 2, t_stop: 0 },
    answer: `async function squareWorker(tasks: Queue<number | null>, results: Queue<Report>): Promise<void> {
  for (;;) {
    const x = await tasks.get();
    if (!x) return;
    await results.put({ x, square: x * x, pid: getpid(), ppid: getppid() });
  }
}`,
  },
  "pipe-ping-pong": {
    mistake: "pinger never closes its end, so the child never sees EOF",
    expect: { t_ping: 3, t_eof: 0 },
    answer: `async function ponger(conn: Connection<string>): Promise<void> {
  for (;;) {
    let message: string;
    try {
      message = await conn.recv();
    } catch (err) {
      if (err instanceof EOFError) return;
      throw err;
    }
    conn.send(message.replace("ping", "pong"));
  }
}

async function pinger(conn: Connection<string>, n: number): Promise<string[]> {
  const answers: string[] = [];
  for (let i = 0; i < n; i++) {
    conn.send(\`ping \${i}\`);
    answers.push(await conn.recv());
  }
  return answers;
}`,
  },
  "manager-counter": {
    mistake: "writes the copy back but takes no lock",
    expect: { t_written_back: 2, t_locked: 0 },
    answer: `async function recordVisit(stats: DictProxy<string, PageStats>, lock: BrokerLock, page: string, who: string): Promise<void> {
  const s = (await stats.get(page)) ?? { visits: 0, last: "" };
  s.visits += 1;
  s.last = who;
  await stats.set(page, s);
}`,
  },
  "measure-modes": {
    mistake: 'the "concurrent" waits are awaited one by one',
    expect: { t_results: 2, t_overlap: 0 },
    answer: `async function serialWaits(ns: number[]): Promise<number[]> {
  const results: number[] = [];
  for (const n of ns) results.push(await waitingJob(n));
  return results;
}

async function concurrentWaits(ns: number[]): Promise<number[]> {
  const results: number[] = [];
  for (const n of ns) results.push(await waitingJob(n));
  return results;
}

async function parallelComputes(ns: number[], workers: number): Promise<number[]> {
  return Pool.with(workers, (pool) => pool.map(computingJob, ns));
}`,
  },
  "pool-speedup": {
    mistake: "one range per worker, and always a process Pool (the loss is on the timing cell only)",
    expect: { t_correct: 2 },
    answer: `/** Counts the primes below n using a pool of \`workers\` processes or threads. */
async function countPrimesParallel(n: number, workers: number = cpuCount(), kind: "process" | "thread" = "process"): Promise<number> {
  const ranges = splitRange(n, workers);
  const counts = await Pool.with(workers, (pool) => pool.map(countPrimesIn, ranges));
  return counts.reduce((sum, c) => sum + c, 0);
}`,
  },
  "generator-scheduler": {
    mistake: "runs each job to the end before the next",
    expect: { t_turns: 0, t_results: 2 },
    answer: `function roundRobin(jobs: Job[]): { log: string[]; results: number[] } {
  const log: string[] = [];
  const results: number[] = [];
  for (const job of jobs) {
    for (;;) {
      const step = job.next();
      if (step.done) {
        results.push(step.value);
        break;
      }
      log.push(step.value);
    }
  }
  return { log, results };
}`,
  },
  "async-crawler": {
    mistake: "gather without the semaphore",
    expect: { t_fetch_all: 2, t_limit: 0, t_crawl: 2 },
    answer: `async function fetchAll(urls: string[], limit: number): Promise<string[][]> {
  return gather(...urls.map((url) => fetchPage(url)));
}

async function crawl(start: string, limit: number): Promise<string[]> {
  const seen = new Set<string>([start]);
  let level = [start];
  while (level.length > 0) {
    const links = await fetchAll(level, limit);
    level = [];
    for (const url of links.flat()) {
      if (!seen.has(url)) {
        seen.add(url);
        level.push(url);
      }
    }
  }
  return [...seen].sort();
}`,
  },
  "await-race": {
    mistake: "the lock covers only the await, not the check and the update",
    expect: { t_no_oversell: 0, t_released: 2 },
    answer: `async function sellOne(shop: Shop, lock: Lock): Promise<boolean> {
  if (shop.stock <= 0) return false;
  await lock.withLock(() => askWarehouse(shop));
  shop.stock -= 1;
  shop.sold += 1;
  return true;
}`,
  },
};

/** bank-account without any lock: both tests must catch it (the race test and the hidden crowd test). */
export const BANK_NO_LOCK: WrongAnswer = {
  mistake: "no lock at all",
  expect: { t_never_overdrawn: 0, t_released: 0 },
  answer: `function withdraw(account: { balance: number }, lock: Lock, amount: number): boolean {
  if (account.balance < amount) return false;
  pause(5);
  account.balance -= amount;
  return true;
}`,
};
