/** Interrupts and executor crashes, through a real executor process. */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { delay, ExecutorHarness } from "./harness";

describe("executor: interrupt and recovery", { timeout: 120_000 }, () => {
  let ex: ExecutorHarness;
  before(async () => {
    ex = new ExecutorHarness();
    await ex.host.ready;
  });
  after(async () => ex.close());

  const cases: [string, string][] = [
    ["a synchronous busy loop", "let keptA = 'A';\nwhile (true) {}"],
    ["a busy loop that starts after an await", "let keptB = 'B';\nawait new Promise((r) => setTimeout(r, 20));\nwhile (true) {}"],
    ["a busy loop in a timer callback the cell awaits", "let keptC = 'C';\nawait new Promise<void>((r) => setTimeout(() => { while (true) {} }, 20));"],
    ["an await that never settles", "let keptD = 'D';\nawait new Promise(() => {});"],
    ["a loop that prints forever", "let keptE = 'E';\nfor (;;) console.log('spam');"],
  ];
  for (const [what, code] of cases) {
    it(`stops ${what} and keeps earlier variables`, async () => {
      const pending = ex.run(code);
      await delay(300);
      const t0 = Date.now();
      ex.host.interrupt();
      const r = await pending;
      const took = Date.now() - t0;
      assert.equal(r.reply.status, "error");
      assert.equal(r.reply.ename, "KeyboardInterrupt");
      assert.ok(took < 2000, `interrupt took ${took} ms`);
      const kept = await ex.run(code.slice(4, code.indexOf(" =")));
      assert.equal(kept.reply.status, "ok", JSON.stringify(kept.reply));
      assert.match(kept.result ?? "", /^'[A-E]'$/);
    });
  }

  it("runs the next request normally after an interrupt", async () => {
    const r = await ex.run("const afterInterrupt = [1, 2, 3].map((x) => x * 2);\nafterInterrupt");
    assert.equal(r.result, "[ 2, 4, 6 ]");
  });

  it("recovers from process.exit() with a clear error and a fresh executor", async () => {
    await ex.run("let beforeCrash = 1;");
    const crash = await ex.run("process.exit(3);");
    assert.equal(crash.reply.status, "error");
    assert.equal(crash.reply.ename, "ExecutorDied");
    assert.match(String(crash.reply.evalue), /exited with code 3/);
    assert.match(String(crash.reply.evalue), /variables .* lost/);
    assert.ok(crash.outputs.some((o) => o.msgType === "error"), "the error is shown in the cell");
    const fresh = await ex.run("typeof (globalThis as any).beforeCrash");
    assert.equal(fresh.reply.status, "ok");
    const gone = await ex.run("beforeCrash");
    assert.equal(gone.reply.ename, "TypeScriptError", "the old names are gone with the old executor");
    const works = await ex.run("6 * 7");
    assert.equal(works.result, "42");
  });
});
