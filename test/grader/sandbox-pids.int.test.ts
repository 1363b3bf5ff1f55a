/**
 * The process cap held by a pids cgroup: a fork bomb that burns out between two
 * watchdog samples is still seen (the kernel counts every refused fork), and a
 * process in the sandbox, with a shell and the sandbox's own uid, cannot leave
 * its cgroup or raise its cap.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { DEFAULT_CAPS } from "../../src/sandbox/caps";
import { sandboxSupport } from "../../src/sandbox/detect";
import { Sandbox } from "../../src/sandbox/sandbox";

const SH = "/usr/bin/sh"; // under /usr: the namespace sandbox binds it read-only with the system

function sandbox(level: "namespaces" | "permission", pids: number): Sandbox {
  const support = sandboxSupport();
  assert.ok(
    support.pidsCgroup.ok,
    `this machine (root, cgroups mounted) must allow a pids cgroup: ${JSON.stringify(support)}`,
  );
  const box = Sandbox.create({ level, caps: { ...DEFAULT_CAPS, pids }, notebookSeconds: 60 });
  assert.ok(box.pids, "the sandbox made its own pids cgroup");
  return box;
}

/** Runs `script` with sh inside `box`; resolves with its exit code and output once it ends (30 s at most). */
function runIn(box: Sandbox, script: string): Promise<{ code: number | null; out: string }> {
  const cmd = box.command([SH, "-c", script]);
  const child = spawn(cmd.argv[0]!, cmd.argv.slice(1), {
    env: cmd.env,
    cwd: cmd.cwd,
    uid: cmd.uid,
    gid: cmd.gid,
    stdio: ["ignore", "pipe", "pipe"],
  });
  box.watch(() => child.pid);
  let out = "";
  child.stdout.on("data", (d: Buffer) => (out += d.toString()));
  child.stderr.on("data", (d: Buffer) => (out += d.toString()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      box.kill("test timeout");
      reject(new Error(`the sandboxed shell did not end in 30 s:\n${out}`));
    }, 30_000);
    child.on("exit", (code) => {
      clearTimeout(timer);
      resolve({ code, out });
    });
  });
}

test("a fork bomb that burns out on its own is still caught at the process cap", { timeout: 60_000 }, async () => {
  const box = sandbox("namespaces", 32);
  try {
    // Each shell forks twice and waits; at the cap forks fail, leaves return, and the bomb dies out by itself.
    await runIn(box, "b(){ b & b & wait; }; b 2>/dev/null; echo over");
    box.checkNow();
    assert.ok(box.pids!.refusals() > 0, "the cgroup refused forks");
    assert.equal(box.killReason, "killed: process limit 32");
  } finally {
    box.dispose();
  }
});

test("a sandboxed process cannot leave its pids cgroup or raise its cap", { timeout: 60_000 }, async () => {
  // The permission level runs the shell with the host's /sys in view: the strongest position for this attack.
  const box = sandbox("permission", 64);
  const group = box.pids!.dir;
  try {
    const { out } = await runIn(
      box,
      [
        "for f in /sys/fs/cgroup/pids/cgroup.procs /sys/fs/cgroup/pids/tasks; do echo $$ > $f && echo MOVED $f; done",
        `echo 100000 > ${group}/pids.max && echo RAISED`,
        `rmdir ${group} && echo REMOVED`,
        "cat /proc/$$/cgroup",
      ].join("; "),
    );
    assert.doesNotMatch(out, /MOVED|RAISED|REMOVED/, out);
    const mine = /^\d+:pids:(.*)$/m.exec(out)?.[1];
    assert.ok(mine && group.endsWith(mine), `the shell stayed in ${group} (it saw ${mine}):\n${out}`);
    assert.equal(readFileSync(join(group, "pids.max"), "utf8").trim(), "64");
    assert.equal(box.killReason, undefined);
  } finally {
    box.dispose();
  }
  assert.throws(() => readFileSync(join(group, "pids.max")), /ENOENT/, "dispose removed the cgroup");
});
