/**
 * `npm run bench [name ...]`: runs Spindle's benchmarks, each printing a table
 * with the peer it is measured against (ipykernel, Python's threading,
 * multiprocessing and asyncio) side by side in the same run.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

const ORDER = [
  "executor",
  "kernel",
  "threading",
  "multiprocessing",
  "asyncio",
  "timing",
  "explore",
  "grader",
  "classroom",
];

async function main(): Promise<void> {
  const wanted = process.argv.slice(2);
  const available = ORDER.filter((name) => fs.existsSync(path.join(__dirname, `${name}.js`)));
  const names = wanted.length > 0 ? wanted : available;
  const unknown = names.filter((n) => !available.includes(n));
  if (unknown.length > 0) {
    process.stderr.write(`Unknown benchmark(s): ${unknown.join(", ")}. Available: ${available.join(", ")}.\n`);
    process.exitCode = 2;
    return;
  }
  const load = os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(" ");
  process.stdout.write(
    `Spindle benchmarks — Node ${process.version}, ${os.cpus().length} cores, load average ${load}\n`,
  );
  for (const name of names) {
    process.stdout.write(`\n## ${name}\n\n`);
    const started = Date.now();
    const mod = require(path.join(__dirname, `${name}.js`)) as { run(): Promise<void> };
    await mod.run();
    process.stdout.write(`(${name}: ${((Date.now() - started) / 1000).toFixed(1)} s)\n`);
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exitCode = 1;
});
