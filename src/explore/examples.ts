/**
 * The classic bugs the explorer is measured and tested on (bench/explore.ts, test/explore), each with its
 * correct version: an unlocked bank account (2 threads), a lost update (3 threads), a lock-order
 * deadlock (2 threads).
 */
import { Lock, Thread, shared } from "../concurrency/threading";

/** Two threads withdraw 80 from 100 with check-then-act and no lock (or with one): money must stay ≥ 0. */
export async function bankAccount(locked: boolean): Promise<void> {
  const account = shared({ money: 100 });
  const lock = new Lock();
  function withdraw(amount: number, useLock: boolean): void {
    if (useLock) lock.acquireSync();
    try {
      if (account.money >= amount) account.money -= amount;
    } finally {
      if (useLock) lock.release();
    }
  }
  const threads = [0, 1].map(() => new Thread({ target: withdraw, args: [80, locked] }));
  for (const t of threads) t.start();
  for (const t of threads) await t.join();
  if (account.money < 0) throw new Error(`overdrawn: money = ${account.money}`);
}

/** Three threads each add 1 twice to a counter (read, then write), unlocked or locked: it must end at 6. */
export async function lostUpdate(locked: boolean): Promise<void> {
  const counter = shared({ value: 0 });
  const lock = new Lock();
  function addTwice(useLock: boolean): void {
    for (let i = 0; i < 2; i++) {
      if (useLock) lock.acquireSync();
      const seen = counter.value;
      counter.value = seen + 1;
      if (useLock) lock.release();
    }
  }
  const threads = [0, 1, 2].map(() => new Thread({ target: addTwice, args: [locked] }));
  for (const t of threads) t.start();
  for (const t of threads) await t.join();
  if (counter.value !== 6) throw new Error(`lost update: counter = ${counter.value}, expected 6`);
}

/** Two threads take two locks in opposite orders (a deadlock), or in the same order (correct). */
export async function lockOrder(sameOrder: boolean): Promise<void> {
  const first = new Lock();
  const second = new Lock();
  function takeBoth(reversed: boolean): void {
    const [x, y] = reversed ? [second, first] : [first, second];
    x.acquireSync();
    y.acquireSync();
    y.release();
    x.release();
  }
  const threads = [
    new Thread({ target: takeBoth, args: [false] }),
    new Thread({ target: takeBoth, args: [!sameOrder] }),
  ];
  for (const t of threads) t.start();
  for (const t of threads) await t.join();
}
