/** `spindle install` / `uninstall` for every target, run twice each: same result, no errors, Jupyter agrees. */
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { BIN, cleanEnv, runCli } from "./run-cli";

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "spindle-install-"));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));
let dirs = 0;
const fresh = (): string => fs.mkdtempSync(path.join(tmp, `t${++dirs}-`));

/** Every file under `dir` with its contents, for comparing two installs. */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of fs.readdirSync(dir).sort()) out[name] = fs.readFileSync(path.join(dir, name)).toString("base64");
  return out;
}

async function jupyterKernels(env: NodeJS.ProcessEnv): Promise<Record<string, { resource_dir: string }>> {
  const { stdout } = await promisify(execFile)("/usr/bin/jupyter", ["kernelspec", "list", "--json"], {
    env,
    timeout: 60_000,
  });
  return (JSON.parse(stdout) as { kernelspecs: Record<string, { resource_dir: string }> }).kernelspecs;
}

test("--prefix: installing twice gives the same kernelspec; Jupyter finds it via JUPYTER_PATH; uninstall twice is fine", async () => {
  const home = fresh();
  const prefix = path.join(home, "usr-local");
  const env = cleanEnv(home, { JUPYTER_PATH: path.join(prefix, "share", "jupyter") });
  const dir = path.join(prefix, "share", "jupyter", "kernels", "spindle");
  const first = await runCli(["install", "--prefix", prefix], env);
  assert.equal(first.code, 0, first.stderr);
  assert.match(
    first.stdout,
    new RegExp(`Installed kernelspec spindle in ${dir.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}`),
  );
  const once = snapshot(dir);
  assert.deepEqual(Object.keys(once), ["kernel.json", "logo-32x32.png", "logo-64x64.png"]);
  const spec = JSON.parse(fs.readFileSync(path.join(dir, "kernel.json"), "utf8")) as {
    argv: string[];
    display_name: string;
    language: string;
  };
  assert.deepEqual(spec.argv, [process.execPath, BIN, "kernel", "{connection_file}"]);
  assert.equal(spec.language, "typescript");
  const second = await runCli(["install", "--prefix", prefix], env);
  assert.equal(second.code, 0, second.stderr);
  assert.deepEqual(snapshot(dir), once, "a second install changes nothing");
  assert.equal(path.resolve((await jupyterKernels(env)).spindle?.resource_dir ?? ""), dir);

  const removed = await runCli(["uninstall", "--prefix", prefix], env);
  assert.equal(removed.code, 0, removed.stderr);
  assert.match(removed.stdout, /Removed kernelspec spindle/);
  assert.equal(fs.existsSync(dir), false);
  assert.equal((await jupyterKernels(env)).spindle, undefined);
  const again = await runCli(["uninstall", "--prefix", prefix], env);
  assert.equal(again.code, 0, again.stderr);
  assert.match(again.stdout, /nothing to remove/);
});

test("--sys-prefix goes to the active environment's prefix; --user to the user data dir; each uninstalls from its own place", async () => {
  const home = fresh();
  const venv = path.join(home, "venv");
  const env = cleanEnv(home, { VIRTUAL_ENV: venv });
  const sysDir = path.join(venv, "share", "jupyter", "kernels", "spindle");
  const userDir = path.join(home, ".local", "share", "jupyter", "kernels", "spindle");
  for (let i = 0; i < 2; i++) {
    assert.equal((await runCli(["install", "--sys-prefix"], env)).code, 0);
    assert.equal((await runCli(["install", "--user", "--name", "spindle"], env)).code, 0);
  }
  assert.ok(fs.existsSync(path.join(sysDir, "kernel.json")));
  assert.ok(fs.existsSync(path.join(userDir, "kernel.json")));
  assert.equal((await runCli(["uninstall", "--user"], env)).code, 0);
  assert.equal(fs.existsSync(userDir), false);
  assert.ok(fs.existsSync(sysDir), "uninstalling --user leaves --sys-prefix alone");
  assert.equal((await runCli(["uninstall", "--sys-prefix"], env)).code, 0);
  assert.equal(fs.existsSync(sysDir), false);
});

test("uninstall leaves a kernelspec that is not Spindle's unless --force; bad arguments are usage errors", async () => {
  const home = fresh();
  const prefix = path.join(home, "p");
  const env = cleanEnv(home);
  const dir = path.join(prefix, "share", "jupyter", "kernels", "spindle");
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(
    path.join(dir, "kernel.json"),
    JSON.stringify({
      argv: ["python3", "-m", "ipykernel_launcher", "-f", "{connection_file}"],
      display_name: "Not Spindle",
      language: "python",
    }),
  );
  const refused = await runCli(["uninstall", "--prefix", prefix], env);
  assert.equal(refused.code, 1);
  assert.match(refused.stderr, /does not run Spindle; left in place\. Add --force/);
  assert.ok(fs.existsSync(path.join(dir, "kernel.json")));
  const forced = await runCli(["uninstall", "--prefix", prefix, "--force"], env);
  assert.equal(forced.code, 0, forced.stderr);
  assert.equal(fs.existsSync(dir), false);

  const both = await runCli(["uninstall", "--user", "--sys-prefix"], env);
  assert.equal(both.code, 2);
  assert.match(both.stderr, /Choose one of --user, --sys-prefix or --prefix P/);
  const badName = await runCli(["uninstall", "--prefix", prefix, "--name", "../etc"], env);
  assert.equal(badName.code, 2);
  assert.match(badName.stderr, /may only use letters/);
});
