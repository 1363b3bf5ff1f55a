/**
 * spindle/explore through a real kernel: %%explore shows a failing schedule as rich output (seed, error,
 * chart), and an interrupt during a long exploration stops it and keeps the kernel's state.
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import type { JupyterMessage } from "../../src/protocol";
import { startTestKernel, type TestKernel } from "../helpers/kernel-harness";

let tk: TestKernel;
before(async () => {
  tk = await startTestKernel();
});
after(async () => {
  await tk?.stop();
});

type Content = { data?: Record<string, string>; ename?: string; evalue?: string; name?: string; text?: string };
const c = (m: JupyterMessage): Content => m.content as Content;

test("%%explore finds the bank-account race with a fixed seed and draws the failing schedule", {
  timeout: 180_000,
}, async () => {
  const setup = await tk.client.execute(
    `import { Thread, Lock, shared } from "spindle/threading";\nimport { explore } from "spindle/explore";`,
    { timeout: 60 },
  );
  assert.equal(setup.status, "ok");
  const code = [
    "%%explore 200 --seed 1",
    "const account = shared({ money: 100 });",
    "function withdraw(amount: number) { if (account.money >= amount) account.money -= amount; }",
    "const ts = [new Thread({ target: withdraw, args: [80] }), new Thread({ target: withdraw, args: [80] })];",
    "for (const t of ts) t.start();",
    "for (const t of ts) await t.join();",
    "if (account.money < 0) throw new Error(`overdrawn: ${account.money}`);",
  ].join("\n");
  const first = await tk.client.execute(code, { timeout: 120 });
  assert.equal(first.status, "ok", JSON.stringify(first.reply.content));
  const shown = first.outputs.filter((m) => m.header.msg_type === "display_data");
  assert.equal(shown.length, 1);
  const data = c(shown[0]!).data ?? {};
  assert.match(data["text/plain"] ?? "", /^Failure found in schedule \d+ of 200 \(random, seed 1\)/);
  assert.match(data["text/plain"] ?? "", /Error: overdrawn: -60/);
  assert.match(data["text/html"] ?? "", /<svg[\s\S]*⇄/);
  const again = await tk.client.execute(code, { timeout: 120 });
  const text = (r: typeof first) =>
    c(r.outputs.find((m) => m.header.msg_type === "display_data")!).data?.["text/plain"]?.replace(/Thread-\d+/g, "T");
  assert.equal(text(again), text(first), "the same seed finds the same schedule");
});

test("interrupt during a long exploration stops it; the kernel's state is kept and the next explore works", {
  timeout: 180_000,
}, async () => {
  const keep = await tk.client.execute(`const kept = shared({ n: 41 });\nkept.n += 1;`, { timeout: 60 });
  assert.equal(keep.status, "ok");
  const long = await tk.client.execute(
    [
      "const lock = new Lock();",
      "function safe() { lock.acquireSync(); kept.n; lock.release(); }",
      "await explore(async () => {",
      "  const ts = [new Thread({ target: safe }), new Thread({ target: safe })];",
      "  for (const t of ts) t.start();",
      "  for (const t of ts) await t.join();",
      "}, { schedules: 10_000_000 });",
    ].join("\n"),
    { timeout: 4 },
  );
  const said = JSON.stringify(long.outputs.map((m) => m.content));
  assert.equal(long.timedOut, true, `still exploring when interrupted: ${said}`);
  assert.equal(long.status, "error");
  const after = await tk.client.execute(`kept.n`, { timeout: 60 });
  const value = after.outputs.find((m) => m.header.msg_type === "execute_result");
  assert.equal(value && c(value).data?.["text/plain"], "42", JSON.stringify(after.outputs.map((m) => m.content)));
  const next = await tk.client.execute(
    "const r = await explore(async () => { const t = new Thread({ target: safe }); t.start(); await t.join(); }, { schedules: 20 });\nr.failure === undefined && r.schedules",
    { timeout: 60 },
  );
  assert.equal(next.status, "ok", JSON.stringify(next.reply.content));
  const shown = next.outputs.find((m) => m.header.msg_type === "execute_result");
  assert.equal(shown && c(shown).data?.["text/plain"], "20");
});
