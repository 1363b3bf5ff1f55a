/** The executor starts the same way with and without its start-up snapshot. */
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, it } from "node:test";
import { snapshotExecArgv, snapshotFingerprint, SNAPSHOT_META } from "../../src/executor/snapshot/fingerprint";
import { ExecutorHarness } from "./harness";

describe("executor start-up", { timeout: 120_000 }, () => {
  for (const mode of ["1", "0"]) {
    it(`compiles, runs and completes cells (snapshot ${mode === "1" ? "on" : "off"})`, async () => {
      const ex = new ExecutorHarness(fs.mkdtempSync(path.join(os.tmpdir(), "spindle-start-")), {
        SPINDLE_EXECUTOR_SNAPSHOT: mode,
      });
      try {
        await ex.host.ready;
        const r = await ex.run("import { Worker } from 'node:worker_threads';\nconst n: number = 6 * 7;\nn");
        assert.equal(r.result, "42");
        const c = await ex.request("complete", "Wor");
        assert.ok((c.matches as string[]).includes("Worker"), JSON.stringify(c));
        const bad = await ex.run("const s: string = n;");
        assert.equal(bad.reply.ename, "TypeScriptError");
      } finally {
        await ex.close();
      }
    });
  }

  it("warms a worker thread when idle after a cell that imports threads, not before", async () => {
    const ex = new ExecutorHarness(fs.mkdtempSync(path.join(os.tmpdir(), "spindle-warm-")));
    const pool = JSON.stringify(path.join(__dirname, "..", "..", "src", "concurrency", "threading", "pool.js"));
    const idle = async (): Promise<number> => Number((await ex.run(`require(${pool}).pool.idleCount`)).result);
    try {
      await ex.host.ready;
      assert.equal((await ex.run("const plain: number = 1;\nplain")).result, "1");
      assert.equal(await idle(), 0, "a notebook that has not imported threads has no warm worker");
      await ex.run('import { Thread } from "spindle/threading";\ntypeof Thread');
      // Probe the executor's pool until the idle warm-up has booted a worker (it waits for 300 ms of quiet).
      const deadline = Date.now() + 20_000;
      let count = 0;
      while ((count = await idle()) === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 400));
      assert.equal(count, 1, "one warm worker after the idle moment");
    } finally {
      await ex.close();
    }
  });

  it("uses the snapshot only when it matches this build", () => {
    const valid =
      fs.existsSync(SNAPSHOT_META) &&
      JSON.parse(fs.readFileSync(SNAPSHOT_META, "utf8")).fingerprint === snapshotFingerprint();
    assert.deepEqual(snapshotExecArgv().length > 0, valid);
    assert.match(snapshotFingerprint(), new RegExp(process.version.replace(/\./g, "\\.")));
  });
});
