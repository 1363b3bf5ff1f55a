/** Output attribution, batching, stray errors and input, through a real executor process. */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { ExecutorHarness, waitFor } from "./harness";

describe("executor: outputs", { timeout: 120_000 }, () => {
  let ex: ExecutorHarness;
  before(async () => {
    ex = new ExecutorHarness();
    await ex.host.ready;
  });
  after(async () => ex.close());

  it("delivers 100,000 printed lines in order, in few messages", async () => {
    const r = await ex.run("for (let i = 0; i < 100000; i++) console.log(i);");
    assert.equal(r.reply.status, "ok");
    const lines = r.stdout.split("\n");
    assert.equal(lines.pop(), "");
    assert.equal(lines.length, 100_000);
    lines.forEach((line, i) => assert.equal(line, String(i)));
    const streams = r.outputs.filter((o) => o.msgType === "stream").length;
    assert.ok(streams < 100, `${streams} stream messages for 100,000 lines`);
  });

  it("keeps stdout, stderr and rich output in the order the cell produced them", async () => {
    const r = await ex.run(
      "import { display } from 'spindle/display';\nconsole.log('one');\nconsole.error('two');\ndisplay.html('<i>three</i>');\nprocess.stdout.write('four\\n');\nundefined",
    );
    const order = r.outputs.map((o) =>
      o.msgType === "stream" ? `${o.content.name}:${o.content.text.trim()}` : o.msgType,
    );
    assert.deepEqual(order, ["stdout:one", "stderr:two", "display_data", "stdout:four"]);
  });

  it("attributes late output to the cell that started it, even while another cell runs", async () => {
    const a = ex.header();
    const first = await ex.host.request({
      type: "execute",
      id: a.msg_id,
      parent: a,
      executionCount: 1,
      silent: false,
      storeHistory: true,
      userExpressions: {},
      allowStdin: false,
      code: "setTimeout(() => console.log('late from A'), 150);\nPromise.resolve().then(() => setTimeout(() => { throw new Error('thrown later by A'); }, 200));\n'A returned'",
    });
    assert.equal(first.status, "ok");
    const b = await ex.run("await new Promise((r) => setTimeout(r, 400));\nconsole.log('from B');");
    await waitFor(() => ex.collect(a.msg_id).stdout.includes("late from A"), 5000, "A's late output");
    await waitFor(() => ex.collect(a.msg_id).outputs.some((o) => o.msgType === "error"), 5000, "A's late error");
    assert.equal(b.stdout, "from B\n");
    assert.ok(!b.outputs.some((o) => o.msgType === "error"), "B shows none of A's errors");
    const err = ex.collect(a.msg_id).outputs.find((o) => o.msgType === "error");
    assert.ok(err && err.msgType === "error");
    assert.equal(err.content.evalue, "thrown later by A");
  });

  it("reports an unhandled rejection to its cell and keeps running", async () => {
    const r = await ex.run(
      "Promise.reject(new TypeError('nobody caught me'));\nawait new Promise((res) => setTimeout(res, 50));\n'still here'",
    );
    await waitFor(() => ex.collect(r.reply.status === "ok" ? lastId(ex) : "").outputs.length > 0, 2000, "outputs");
    const errs = r.outputs.filter((o) => o.msgType === "error");
    assert.equal(errs.length, 1);
    assert.equal(r.result, "'still here'");
    const next = await ex.run("1 + 1");
    assert.equal(next.result, "2");
  });

  it("asks the frontend for input and returns the answer", async () => {
    ex.inputAnswer = "Ada";
    const r = await ex.run("import { input } from 'spindle/io';\nconst name = await input('name? ');\nname", {
      allowStdin: true,
    });
    assert.equal(r.result, "'Ada:name? '");
  });

  it("refuses input() with a clear error when stdin is not allowed", async () => {
    const r = await ex.run("import { input } from 'spindle/io';\nawait input('name? ')", { allowStdin: false });
    assert.equal(r.reply.status, "error");
    assert.match(String(r.reply.evalue), /allow_stdin is false/);
  });

  it("writes nothing to stderr for a clean cell", async () => {
    const r = await ex.run("const quiet = 1;\nquiet");
    assert.equal(r.stderr, "");
    assert.deepEqual(
      r.outputs.map((o) => o.msgType),
      ["execute_result"],
    );
  });
});

function lastId(ex: ExecutorHarness): string {
  return [...ex.outputs.keys()].pop() ?? "";
}

describe("executor: cell timers and code shipping", { timeout: 120_000 }, () => {
  it("ships a thread target that uses setTimeout (the worker uses its own timers)", async () => {
    const ex = new ExecutorHarness();
    try {
      await ex.host.ready;
      const r = await ex.run(
        "import { Thread } from 'spindle/threading';\n" +
          "function work() { return new Promise<void>((res) => setTimeout(() => { console.log('timer in thread'); res(); }, 10)); }\n" +
          "const t = new Thread({ target: work });\nt.start();\nawait t.join();",
      );
      assert.equal(r.reply.status, "ok", JSON.stringify(r.reply));
      assert.equal(r.stdout, "timer in thread\n");
    } finally {
      await ex.close();
    }
  });
});
