/**
 * spindle/threading through a real kernel over ZeroMQ: a thread's output lands under its cell even after
 * the cell returned, a thread's failure is reported there, interrupt stops a cell's threads, a captured
 * `let` of an earlier cell is refused, the kernel shuts down with threads still running, and the threads
 * notebook runs end to end showing what its text claims.
 */
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";
import type { JupyterMessage } from "../../../src/protocol";
import { startTestKernel, waitFor, type TestKernel } from "../../helpers/kernel-harness";
import { waitAllDead } from "../../helpers/procs";
import { assertThreadsNotebookClaims, assertThreadsNotebookExplored } from "./notebook-claims";

let tk: TestKernel;

before(async () => {
  tk = await startTestKernel({ env: { ...process.env, SPINDLE_TIME_SCALE: "0.1" } });
});

after(async () => {
  await tk?.stop();
});

function streamText(outputs: JupyterMessage[], name: "stdout" | "stderr"): string {
  return outputs
    .filter((m) => m.header.msg_type === "stream" && (m.content as { name: string }).name === name)
    .map((m) => (m.content as { text: string }).text)
    .join("");
}

async function run(
  code: string,
  timeout = 120,
): Promise<{ out: string; err: string; id: string; status: string; timedOut: boolean; outputs: JupyterMessage[] }> {
  const r = await tk.client.execute(code, { timeout });
  const id = (r.reply.parent_header as { msg_id: string }).msg_id;
  return {
    out: streamText(r.outputs, "stdout"),
    err: streamText(r.outputs, "stderr"),
    id,
    status: r.status,
    timedOut: r.timedOut,
    outputs: r.outputs,
  };
}

test("a thread's late output and its failure land under the cell that started it", async () => {
  const setup = await run(
    `import { Thread, Lock, shared } from "spindle/threading";\nimport { sleep } from "spindle/time";`,
  );
  assert.equal(setup.status, "ok", setup.err);
  const first = await run(`
const factor = 3;
async function later(label: string) {
  await sleep(10); // 1 s at the test's time scale
  console.log(label + " " + factor * 2);
  throw new RangeError("late failure");
}
const bg = new Thread({ target: later, args: ["LATE-LINE"], daemon: true, name: "background" });
bg.start();
console.log("first cell returns");
`);
  assert.equal(first.status, "ok", first.err);
  assert.doesNotMatch(first.out, /LATE-LINE/);
  const second = await run(`console.log("second cell");`);
  assert.doesNotMatch(second.out, /LATE-LINE/);
  const texts = () => streamText(tk.iopubFor(first.id), "stdout") + streamText(tk.iopubFor(first.id), "stderr");
  await waitFor(
    () => (/LATE-LINE 6/.test(texts()) && /late failure/.test(texts()) ? true : undefined),
    30_000,
    "late output under the first cell",
  );
  assert.match(
    streamText(tk.iopubFor(first.id), "stderr"),
    /^Exception in thread background:\nRangeError: late failure\n/m,
  );
  assert.doesNotMatch(streamText(tk.iopubFor(second.id), "stdout"), /LATE-LINE/);
});

test("a let from an earlier cell is refused at start(), naming it and the fixes", async () => {
  const decl = await run(`let counter = 0;`);
  assert.equal(decl.status, "ok", decl.err);
  const r = await run(`const bump = new Thread({ target: () => counter + 1 });\nbump.start();`);
  assert.equal(r.status, "error");
  const error = r.outputs.find((m) => m.header.msg_type === "error")?.content as
    | { ename: string; evalue: string }
    | undefined;
  assert.equal(error?.ename, "ShippingError");
  assert.match(error?.evalue ?? "", /'counter'/);
  assert.match(error?.evalue ?? "", /shared\(/);
});

test("interrupt stops the cell's threads, even a busy loop holding a lock, and frees the lock", async () => {
  const r = await run(
    `
const held = new Lock();
const state = shared({ spinning: 0 });
const spinner = new Thread({
  name: "spinner",
  target: async () => {
    await held.acquire();
    state.spinning = 1;
    for (;;) {}
  },
});
spinner.start();
await spinner.join();
`,
    4,
  );
  assert.equal(r.timedOut, true, "the non-daemon thread kept the cell running until the interrupt");
  const after = await run(
    `console.log("ALIVE=" + spinner.isAlive() + " LOCKED=" + held.locked() + " SPUN=" + state.spinning);`,
  );
  assert.match(after.out, /ALIVE=false LOCKED=false SPUN=1/);
});

for (const lang of ["en", "zh"] as const)
  test(`the threads notebook (${lang}) runs end to end through the kernel and shows what its text claims`, async () => {
    const nb = JSON.parse(
      readFileSync(
        path.join(__dirname, "..", "..", "..", "..", "notebooks", ...(lang === "zh" ? ["zh"] : []), "02-threads.ipynb"),
        "utf8",
      ),
    ) as {
      cells: { cell_type: string; source: string[] }[];
    };
    // A fresh kernel per edition: the notebook leaves daemon threads behind (its deadlocked cooks), as a reader's would.
    await tk.stop();
    tk = await startTestKernel({ env: { ...process.env, SPINDLE_TIME_SCALE: "0.1" } });
    const headings = nb.cells
      .filter((c) => c.cell_type === "markdown")
      .map((c) => c.source.join(""))
      .join("\n");
    for (let n = 1; n <= 11; n++) assert.match(headings, new RegExp(`^## 2\\.${n} `, "m"));
    let out = "";
    let reports = "";
    let shown = "";
    for (const cell of nb.cells.filter((c) => c.cell_type === "code")) {
      const r = await run(cell.source.join(""), 300);
      assert.equal(r.status, "ok", `cell failed:\n${cell.source.join("")}\n${r.err}`);
      out += r.out;
      for (const m of r.outputs) {
        if (m.header.msg_type === "execute_result")
          shown += String((m.content as { data: Record<string, unknown> }).data["text/plain"]);
        if (m.header.msg_type !== "display_data") continue;
        const data = (m.content as { data: Record<string, unknown> }).data;
        shown += String(data["text/plain"]);
        if (typeof data["text/html"] === "string" && /Deadlock detected/.test(String(data["text/plain"]))) {
          assert.match(data["text/html"], /<table>/);
          reports += String(data["text/plain"]);
        }
      }
    }
    assertThreadsNotebookClaims(out, reports, { lang, cellsHold: true });
    assertThreadsNotebookExplored(shown, { lang });
  });

test("the kernel shuts down promptly with threads still running, and its executor is gone", async () => {
  const pid = Number(/PID=(\d+)/.exec((await run(`console.log("PID=" + process.pid)`)).out)?.[1]);
  const r = await run(`
const forever = new Thread({ daemon: true, target: () => { for (;;) {} } });
forever.start();
console.log("started");
`);
  assert.equal(r.status, "ok", r.err);
  const stopping = tk.stop();
  await stopping;
  assert.ok(await waitAllDead([pid], 10_000), `executor ${pid} still running`);
  tk = undefined as unknown as TestKernel;
});
