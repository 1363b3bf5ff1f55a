/**
 * Finds Deno for the kernel benchmark's side-by-side run: `deno` on PATH, or
 * the binary of the npm package `deno` in a cache folder outside the checkout,
 * installed there with npm on first use (SPINDLE_BENCH_NO_DENO=1 skips Deno).
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync } from "node:fs";
import { homedir } from "node:os";
import { delimiter, join } from "node:path";

/** The cache folder the npm package `deno` is installed into (never inside the repository). */
export function denoCacheDir(): string {
  const base = process.env.XDG_CACHE_HOME || join(homedir(), ".cache");
  return join(base, "spindle-bench", "deno");
}

function onPath(): string | undefined {
  for (const dir of (process.env.PATH ?? "").split(delimiter)) {
    const candidate = join(dir, "deno");
    if (dir && existsSync(candidate)) return candidate;
  }
  return undefined;
}

function inCache(dir: string): string | undefined {
  const scope = join(dir, "node_modules", "@deno");
  if (!existsSync(scope)) return undefined;
  for (const platform of readdirSync(scope)) {
    const candidate = join(scope, platform, "deno");
    if (existsSync(candidate)) return candidate;
  }
  return undefined;
}

function works(binary: string): boolean {
  const r = spawnSync(binary, ["--version"], { encoding: "utf8", timeout: 30_000 });
  return r.status === 0;
}

/** The path of a working `deno` binary, installing `deno@2` with npm if needed; undefined (with the reason) when there is none. */
export function findDeno(log: (line: string) => void): string | undefined {
  if (process.env.SPINDLE_BENCH_NO_DENO === "1") return undefined;
  const found = onPath() ?? inCache(denoCacheDir());
  if (found && works(found)) return found;
  const dir = denoCacheDir();
  mkdirSync(dir, { recursive: true });
  log(`installing deno@2 with npm into ${dir} (once) …`);
  const npm = process.platform === "win32" ? "npm.cmd" : "npm";
  const r = spawnSync(npm, ["install", "--prefix", dir, "--no-save", "--no-audit", "--no-fund", "deno@2"], {
    encoding: "utf8",
    timeout: 600_000,
  });
  const installed = inCache(dir);
  if (r.status !== 0 || !installed || !works(installed)) {
    log(
      `Deno unavailable (npm install deno@2 failed: ${(r.stderr || r.error?.message || "").trim().split("\n").pop()}); skipping it`,
    );
    return undefined;
  }
  return installed;
}

/** The version line of `binary` (`deno 2.x.y`), for the table's header. */
export function denoVersion(binary: string): string {
  const r = spawnSync(binary, ["--version"], { encoding: "utf8", timeout: 30_000 });
  return (r.stdout ?? "").split("\n")[0]?.trim() ?? "deno";
}
