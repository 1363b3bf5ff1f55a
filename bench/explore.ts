/**
 * `npm run bench explore`: time to the first failure for the classic bugs (median over 100 seeds, PCT and
 * random walk), schedules per second, and for contrast how many ordinary (uncontrolled) runs show the race.
 */
import os from "node:os";
import { explore } from "../src/explore";
import { bankAccount, lockOrder, lostUpdate } from "../src/explore/examples";

const SEEDS = Number(process.env.SPINDLE_BENCH_SEEDS ?? 100);
const CAP = 200;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor((s.length - 1) / 2)] ?? NaN;
}

/** Runs the bench and prints its table. */
export async function run(): Promise<void> {
  const bugs: Array<[string, () => Promise<void>]> = [
    ["unlocked bank account (2 threads)", () => bankAccount(false)],
    ["lost update (3 threads)", () => lostUpdate(false)],
    ["lock-order deadlock (2 threads)", () => lockOrder(false)],
  ];
  await explore(() => bankAccount(true), { schedules: 20, seed: 1 }); // warm the workers
  process.stdout.write(
    `explore — ${SEEDS} seeds per row, at most ${CAP} schedules each; load ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(" ")}\n`,
  );
  process.stdout.write(
    "| bug | strategy | found (seeds) | ≤ 50 schedules | schedules to failure, median (min–max) | ms to failure, median (min–max) | schedules/s |\n|---|---|---:|---:|---:|---:|---:|\n",
  );
  for (const [name, fn] of bugs) {
    for (const strategy of ["pct", "random"] as const) {
      const counts: number[] = [];
      const ms: number[] = [];
      let found = 0;
      let total = 0;
      let totalMs = 0;
      for (let seed = 1; seed <= SEEDS; seed++) {
        const t0 = performance.now();
        const r = await explore(fn, { schedules: CAP, seed, strategy });
        const dt = performance.now() - t0;
        total += r.schedules;
        totalMs += dt;
        if (r.failure) {
          found++;
          counts.push(r.failure.schedule);
          ms.push(dt);
        }
      }
      const within = counts.filter((c) => c <= 50).length;
      process.stdout.write(
        `| ${name} | ${strategy} | ${found}/${SEEDS} | ${((100 * within) / SEEDS).toFixed(0)} % | ${median(counts)} (${Math.min(...counts)}–${Math.max(...counts)}) | ` +
          `${median(ms).toFixed(1)} (${Math.min(...ms).toFixed(1)}–${Math.max(...ms).toFixed(1)}) | ${((1000 * total) / totalMs).toFixed(0)} |\n`,
      );
    }
  }
  // Correct versions: throughput when nothing fails.
  for (const [name, fn] of [
    ["locked bank account", () => bankAccount(true)],
    ["same-order locks", () => lockOrder(true)],
  ] as const) {
    const t0 = performance.now();
    const r = await explore(fn, { schedules: 1000, seed: 1 });
    process.stdout.write(
      `${name}: ${r.failure ? "FAILED" : "no failure"} in ${r.schedules} schedules, ${((1000 * r.schedules) / (performance.now() - t0)).toFixed(0)} schedules/s\n`,
    );
  }
  // Contrast: ordinary runs (no control) of the unlocked bank account until it overdraws.
  let runs = 0;
  let seen = 0;
  const LIMIT = 2000;
  for (; runs < LIMIT && seen === 0; runs++) {
    try {
      await bankAccount(false);
    } catch {
      seen++;
    }
  }
  process.stdout.write(
    `ordinary runs of the unlocked bank account: ${seen ? `first overdraft after ${runs} runs` : `no overdraft in ${LIMIT} runs`} ` +
      `(threads start ~0.1 ms apart and the race window is a few ns)\n`,
  );
}
