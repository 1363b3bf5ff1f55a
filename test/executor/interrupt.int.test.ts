/** Interrupts and executor crashes, through a real executor process. */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { within } from "../helpers/wait";
import { delay, ExecutorHarness, waitFor } from "./harness";

describe("executor: interrupt and recovery", { timeout: 120_000 }, () => {
  let ex: ExecutorHarness;
  before(async () => {
    ex = new ExecutorHarness();
    await ex.host.ready;
  });
  after(async () => ex.close());

  // Each cell prints "go" when it reaches the part that never ends; the interrupt is sent then.
  const cases: [string, string][] = [
    ["a synchronous busy loop", "let keptA = 'A';\nprocess.stdout.write('go\\n');\nwhile (true) {}"],
    [
      "a busy loop that starts after an await",
      "let keptB = 'B';\nawait new Promise((r) => setTimeout(r, 20));\nprocess.stdout.write('go\\n');\nwhile (true) {}",
    ],
    [
      "a busy loop in a timer callback the cell awaits",
      "let keptC = 'C';\nawait new Promise<void>((r) => setTimeout(() => { process.stdout.write('go\\n'); while (true) {} }, 20));",
    ],
    ["an await that never settles", "let keptD = 'D';\nconsole.log('go');\nawait new Promise(() => {});"],
    ["a loop that prints forever", "let keptE = 'E';\nfor (;;) console.log('go');"],
  ];
  for (const [what, code] of cases) {
    it(`stops ${what} and keeps earlier variables`, async () => {
      const header = ex.header();
      const pending = ex.host.request({
        type: "execute",
        id: header.msg_id,
        parent: header,
        code,
        executionCount: 1,
        silent: false,
        storeHistory: true,
        userExpressions: {},
        allowStdin: false,
      });
      await waitFor(
        () => ex.collect(header.msg_id).stdout.includes("go"),
        60_000,
        "the cell to reach its endless part",
      );
      const t0 = Date.now();
      ex.host.interrupt();
      const r = ex.collect(header.msg_id, await pending);
      const took = Date.now() - t0;
      assert.equal(r.reply.status, "error");
      assert.equal(r.reply.ename, "KeyboardInterrupt");
      assert.ok(took < 2000, `interrupt took ${took} ms`);
      const kept = await ex.run(code.slice(4, code.indexOf(" =")));
      assert.equal(kept.reply.status, "ok", JSON.stringify(kept.reply));
      assert.match(kept.result ?? "", /^'[A-E]'$/);
    });
  }

  it("clears the timers of an interrupted cell", async () => {
    const header = ex.header();
    const pending = ex.host.request({
      type: "execute",
      id: header.msg_id,
      parent: header,
      executionCount: 1,
      silent: false,
      storeHistory: true,
      userExpressions: {},
      allowStdin: false,
      code: "setTimeout(() => { console.log('timer fired'); while (true) {} }, 1500);\nsetInterval(() => console.log('tick'), 100);\nconsole.log('go');\nawait new Promise(() => {});",
    });
    await waitFor(() => ex.collect(header.msg_id).stdout.includes("go"), 60_000, "the cell to start");
    ex.host.interrupt();
    const r = await pending;
    assert.equal(r.status === "error" ? r.ename : r.status, "KeyboardInterrupt");
    const ticks = ex.collect(header.msg_id).stdout.split("tick").length;
    // A cell whose own timer is due after the cleared one: had that one survived, it would have fired
    // (and spun) first, so this cell finishing is the probe, not a fixed sleep.
    await within(
      ex.run("await new Promise((r) => setTimeout(r, 1600));"),
      20_000,
      "a cell outlasting the cleared timer",
    );
    assert.doesNotMatch(ex.collect(header.msg_id).stdout, /timer fired/);
    assert.ok(ex.collect(header.msg_id).stdout.split("tick").length <= ticks + 1, "the interval stopped");
    const next = await ex.run("'still responsive'");
    assert.equal(next.result, "'still responsive'");
  });

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
    assert.ok(
      crash.outputs.some((o) => o.msgType === "error"),
      "the error is shown in the cell",
    );
    const fresh = await ex.run("typeof (globalThis as any).beforeCrash");
    assert.equal(fresh.reply.status, "ok");
    const gone = await ex.run("beforeCrash");
    assert.equal(gone.reply.ename, "TypeScriptError", "the old names are gone with the old executor");
    const works = await ex.run("6 * 7");
    assert.equal(works.result, "42");
  });
});

describe("executor: when the kernel dies", { timeout: 60_000 }, () => {
  it("exits even while a cell spins in a busy loop", async () => {
    const { spawn } = await import("node:child_process");
    const path = await import("node:path");
    // A stand-in kernel process that starts an executor, runs a busy loop in it, prints its pid, and is then killed.
    const script = `
      const { ExecutorHost } = require(${JSON.stringify(path.resolve(__dirname, "..", "..", "src", "executor", "host.js"))});
      const host = ExecutorHost.start({ cwd: process.cwd(), onOutput() {}, onInputRequest() {}, log() {} });
      host.ready.then(() => {
        const parent = { msg_id: "spin", session: "s", username: "u", date: "", msg_type: "execute_request", version: "5.3" };
        void host.request({ type: "execute", id: "spin", parent, code: "while (true) {}", executionCount: 1, silent: false, storeHistory: true, userExpressions: {}, allowStdin: false });
        setTimeout(() => process.stdout.write(String(host.pid) + "\\n"), 300);
      });`;
    const kernel = spawn(process.execPath, ["-e", script], { stdio: ["ignore", "pipe", "inherit"] });
    const pid = await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error("the stand-in kernel did not report its executor")), 60_000);
      kernel.stdout.on("data", (d: Buffer) => {
        clearTimeout(timer);
        resolve(Number(d.toString().trim()));
      });
    });
    assert.ok(alive(pid), "the executor runs");
    kernel.kill("SIGKILL");
    const deadline = Date.now() + 15_000;
    while (alive(pid) && Date.now() < deadline) await delay(100);
    const survived = alive(pid);
    if (survived) process.kill(pid, "SIGKILL");
    assert.equal(survived, false, "the executor outlived its kernel");
  });
});

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe("executor: interrupts and request order", { timeout: 60_000 }, () => {
  it("an interrupt sent with a request fails that request, not a later one", async () => {
    const ex = new ExecutorHarness();
    try {
      await ex.host.ready;
      const header = ex.header();
      const pending = ex.host.request({
        type: "execute",
        id: header.msg_id,
        parent: header,
        code: "while (true) {}",
        executionCount: 1,
        silent: false,
        storeHistory: true,
        userExpressions: {},
        allowStdin: false,
      });
      ex.host.interrupt();
      const r = await pending;
      assert.equal(r.status === "error" ? r.ename : r.status, "KeyboardInterrupt");
      const next = await ex.run("1 + 2");
      assert.equal(next.result, "3");
    } finally {
      await ex.close();
    }
  });

  it("an interrupt while idle does not touch the next cell, however soon it comes", async () => {
    const ex = new ExecutorHarness();
    try {
      await ex.host.ready;
      for (let i = 0; i < 5; i++) {
        ex.host.interrupt();
        const r = await ex.run("await new Promise((r) => setTimeout(r, 50));\n40 + 2");
        assert.equal(r.result, "42", JSON.stringify(r.reply));
      }
    } finally {
      await ex.close();
    }
  });
});
