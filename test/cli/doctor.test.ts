/** `spindle doctor` against real installs: what it reports, its round trip, and its exit code when something is wrong. */
import { test, after } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { cleanEnv, runCli } from "./run-cli";

const ROOT = path.join(__dirname, "..", "..", "..");
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "spindle-doctor-"));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

test("doctor on a good install: kernelspec, Node, TypeScript, snapshot, quota, memory, Jupyter, round trip; exit 0", async () => {
  const home = path.join(tmp, "good");
  const prefix = path.join(home, "prefix");
  const env = cleanEnv(home, {
    JUPYTER_PATH: path.join(prefix, "share", "jupyter"),
    CPU_LIMIT: "1",
    MEM_LIMIT: "512M",
  });
  assert.equal((await runCli(["install", "--prefix", prefix], env)).code, 0);
  const r = await runCli(["doctor", "--timeout", "120"], env, 400);
  assert.equal(r.code, 0, `${r.stdout}\n${r.stderr}`);
  const dir = path.join(prefix, "share", "jupyter", "kernels", "spindle");
  const ts = (
    JSON.parse(fs.readFileSync(path.join(ROOT, "node_modules", "typescript", "package.json"), "utf8")) as {
      version: string;
    }
  ).version;
  assert.match(
    r.stdout,
    new RegExp(
      `ok {4}kernelspec "spindle": ${escape(dir)}\\n {8}runs: ${escape(process.execPath)} \\S+bin/spindle\\.js kernel \\{connection_file\\}`,
    ),
  );
  assert.match(r.stdout, new RegExp(`ok {4}/usr/bin/jupyter lists "spindle" at ${escape(dir)}`));
  assert.match(r.stdout, new RegExp(`ok {4}Node ${escape(process.version)} \\(${escape(process.execPath)}\\)`));
  assert.match(r.stdout, new RegExp(`ok {4}TypeScript ${escape(ts)} `));
  assert.match(r.stdout, /(ok {4}|warn {2})executor snapshot \S*executor\.blob: /);
  assert.match(r.stdout, /ok {4}CPU quota: 1 \(CPU_LIMIT\) of \d+ CPUs; pools default to 1 worker\n/);
  assert.match(r.stdout, /ok {4}memory limit: 512 MiB \(MEM_LIMIT\); each worker's heap is capped at 256 MB\n/);
  assert.match(
    r.stdout,
    /ok {4}round trip: kernel answered in \d+ ms, 1\+1 = 2 in \d+ ms more \(the first cell waits for the executor to start\), shut down in \d+ ms \(exit 0\)/,
  );
  assert.match(r.stdout, /Everything needed works/);
  assert.doesNotMatch(r.stdout, /FAIL/);
});

test("doctor without the kernelspec fails and says how to install it", async () => {
  const home = path.join(tmp, "missing");
  fs.mkdirSync(home, { recursive: true });
  const r = await runCli(["doctor", "--name", "spindle-not-installed-anywhere", "--no-round-trip"], cleanEnv(home));
  assert.equal(r.code, 1);
  assert.match(
    r.stdout,
    /FAIL {2}no kernelspec named "spindle-not-installed-anywhere" on Jupyter's search path\n {8}→ Run `spindle install --user`/,
  );
  assert.match(r.stdout, /1 problem found/);
});

test("doctor on a kernelspec whose Node is gone fails the check and the round trip, with the fix", async () => {
  const home = path.join(tmp, "broken");
  const prefix = path.join(home, "prefix");
  const env = cleanEnv(home, { JUPYTER_PATH: path.join(prefix, "share", "jupyter") });
  assert.equal((await runCli(["install", "--prefix", prefix, "--name", "spindle-broken"], env)).code, 0);
  const file = path.join(prefix, "share", "jupyter", "kernels", "spindle-broken", "kernel.json");
  const spec = JSON.parse(fs.readFileSync(file, "utf8")) as { argv: string[] };
  spec.argv[0] = path.join(home, "no-such-node");
  fs.writeFileSync(file, JSON.stringify(spec));
  const r = await runCli(["doctor", "--name", "spindle-broken", "--no-jupyter", "--timeout", "30"], env, 200);
  assert.equal(r.code, 1, r.stdout);
  assert.match(
    r.stdout,
    new RegExp(
      `FAIL {2}the kernelspec runs ${escape(spec.argv[0]!)}, which does not exist \\(Node or Spindle moved\\?\\)\\n {8}→ Run \`spindle install\` again`,
    ),
  );
  assert.match(r.stdout, /FAIL {2}round trip: the kernel did not start/);
});

test("doctor rejects unknown options and bad timeouts with exit code 2", async () => {
  const env = cleanEnv(tmp);
  const unknown = await runCli(["doctor", "--fast"], env);
  assert.equal(unknown.code, 2);
  assert.match(unknown.stderr, /Unknown option --fast/);
  const bad = await runCli(["doctor", "--timeout", "soon"], env);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /--timeout needs a number of seconds/);
});
