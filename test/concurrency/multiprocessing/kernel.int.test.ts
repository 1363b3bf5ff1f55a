/**
 * spindle/multiprocessing through a real kernel: the executor starts the
 * children, their output lands under the right cell, interrupt and shutdown
 * stop them, and killing the executor leaves no orphan. Also runs the
 * processes notebook end to end and checks what its prose claims.
 */
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { JupyterMessage } from "../../../src/protocol";
import { startTestKernel, waitFor, type TestKernel } from "../../helpers/kernel-harness";
import { isAlive, waitAllDead } from "../../helpers/procs";

let tk: TestKernel;

before(async () => {
  tk = await startTestKernel({ env: { ...process.env, SPINDLE_TIME_SCALE: "0.1" } });
});

after(async () => {
  await tk.stop();
});

function stdout(outputs: JupyterMessage[]): string {
  return outputs
    .filter((m) => m.header.msg_type === "stream" && (m.content as { name: string }).name === "stdout")
    .map((m) => (m.content as { text: string }).text)
    .join("");
}

/** stderr text plus any error output (ename, evalue, traceback), for assertion messages. */
function stderr(outputs: JupyterMessage[]): string {
  return outputs
    .map((m) => {
      if (m.header.msg_type === "stream" && (m.content as { name: string }).name === "stderr")
        return (m.content as { text: string }).text;
      if (m.header.msg_type === "error") {
        const c = m.content as { ename: string; evalue: string; traceback: string[] };
        return `${c.ename}: ${c.evalue}\n${c.traceback.join("\n")}\n`;
      }
      return "";
    })
    .join("");
}

async function run(
  code: string,
  timeout = 120,
): Promise<{ out: string; err: string; id: string; status: string; timedOut: boolean }> {
  const r = await tk.client.execute(code, { timeout });
  const id = (r.reply.parent_header as { msg_id: string }).msg_id;
  return { out: stdout(r.outputs), err: stderr(r.outputs), id, status: r.status, timedOut: r.timedOut };
}

async function executorPid(): Promise<number> {
  const r = await run(`console.log("PID=" + process.pid)`);
  return Number(/PID=(\d+)/.exec(r.out)?.[1]);
}

test("children of a cell have their own pids and the executor as parent; map keeps order; EOFError on a closed pipe", async () => {
  const executor = await executorPid();
  assert.ok(executor > 0);
  await run(
    `import { Process, Queue, Pool, Pipe, EOFError, getpid, getppid, activeChildPids } from "spindle/multiprocessing";`,
  );
  const r = await run(`
function whoAmI(q: Queue) { return q.put([getpid(), getppid()]); }
const q = new Queue<number[]>();
const ps = [1, 2].map(() => new Process({ target: whoAmI, args: [q] }));
for (const p of ps) p.start();
const ids = [await q.get(), await q.get()];
for (const p of ps) await p.join();
console.log("IDS=" + JSON.stringify(ids));
function twice(x: number) { return 2 * x; }
console.log("MAP=" + JSON.stringify(await Pool.with(2, (pool) => pool.map(twice, [5, 4, 3, 2, 1, 0], 1))));
const [a, b] = Pipe<number>();
b.send(1);
b.close();
console.log("RECV=" + (await a.recv()));
try { await a.recv(); } catch (e) { console.log("EOF=" + (e instanceof EOFError)); }
`);
  assert.equal(r.status, "ok", r.err);
  const ids = JSON.parse(/IDS=(.*)/.exec(r.out)?.[1] ?? "[]") as [number, number][];
  assert.equal(ids.length, 2);
  for (const [pid, ppid] of ids) {
    assert.notEqual(pid, executor);
    assert.equal(ppid, executor);
  }
  assert.notEqual(ids[0]![0], ids[1]![0]);
  assert.match(r.out, /MAP=\[10,8,6,4,2,0\]/);
  assert.match(r.out, /RECV=1/);
  assert.match(r.out, /EOF=true/);
});

test("late output of a daemon process lands under the cell that started it", async () => {
  const first = await run(`
async function later(text: string) { await new Promise((r) => setTimeout(r, 1500)); console.log(text); }
const d = new Process({ target: later, args: ["LATE-LINE"], daemon: true });
d.start();
`);
  assert.equal(first.status, "ok", first.err);
  assert.doesNotMatch(first.out, /LATE-LINE/);
  const second = await run(`await new Promise((r) => setTimeout(r, 3000)); console.log("second cell done");`);
  assert.doesNotMatch(second.out, /LATE-LINE/);
  const late = await waitFor(
    () =>
      tk
        .iopubFor(first.id)
        .find((m) => m.header.msg_type === "stream" && /LATE-LINE/.test((m.content as { text: string }).text)),
    15000,
    "late line under the first cell",
  );
  assert.ok(late);
});

test("interrupting a cell stops the processes it started", async () => {
  const r = await run(
    `
async function forever() { for (;;) await new Promise((r) => setTimeout(r, 1000)); }
const stuck = new Process({ target: forever });
stuck.start();
console.log("CHILD=" + stuck.pid);
await stuck.join();
`,
    10,
  );
  assert.equal(r.timedOut, true);
  const child = Number(/CHILD=(\d+)/.exec(r.out)?.[1]);
  assert.ok(child > 0, r.out);
  assert.ok(await waitAllDead([child], 10000), `child ${child} still running after the interrupt`);
});

test("killing the executor with SIGKILL leaves no child behind", async () => {
  const executor = await executorPid();
  const r = await run(`
import { Process as P2, Pool as Pool2, activeChildPids as kids } from "spindle/multiprocessing";
function spinForever() { for (;;) {} }
const busy = new P2({ target: spinForever, daemon: true });
busy.start();
const keepPool = new Pool2(2);
await new Promise((r) => setTimeout(r, 500));
console.log("KIDS=" + JSON.stringify(kids()));
`);
  assert.equal(r.status, "ok", r.err);
  const kids = JSON.parse(/KIDS=(.*)/.exec(r.out)?.[1] ?? "[]") as number[];
  assert.ok(kids.length >= 3, r.out);
  assert.ok(kids.every(isAlive));
  process.kill(executor, "SIGKILL");
  assert.ok(
    await waitAllDead([executor, ...kids], 10000),
    `left running: ${[executor, ...kids].filter(isAlive).join(", ")}`,
  );
  // The kernel starts a new executor; the session goes on.
  const again = await executorPid();
  assert.ok(again > 0 && again !== executor);
});

const PROCESS_CLAIMS = {
  en: {
    dir: [] as string[],
    lines: (executor: number) => [
      /different pid: true; its parent is this process: true/,
      /both finished: exit codes 0 and 0/,
      /EOFError: the other end is closed/,
      /wrong direction: send\(\) on a connection that is read-only/,
      /after changing the copy: \{ player: 'ada', points: 1 \}/,
      /after set\(\): \{ player: 'ada', points: 100 \}/,
      /after changing a copy: \{ visits: 0 \}/,
      /home page: 60 visits counted \(3 processes × 20, under the lock\)/,
      new RegExp(`notebook: pid ${executor}\n`),
      new RegExp(`callback in process ${executor}: task1 is done`),
      /get\(\) rejected with RangeError: cannot handle 3/,
      /same order as the input: true/,
    ],
  },
  zh: {
    dir: ["zh"],
    lines: (executor: number) => [
      /pid 不同：true；它的父进程就是本进程：true/,
      /两个子进程都结束了：退出码 0 和 0/,
      /EOFError：另一端已关闭/,
      /方向用反了：send\(\) on a connection that is read-only/,
      /修改副本之后： \{ player: 'malu', points: 1 \}/,
      /set\(\) 之后： \{ player: 'malu', points: 100 \}/,
      /修改副本之后： \{ visits: 0 \}/,
      /首页共计 60 次访问（3 个进程 × 20 次，在锁的保护下）/,
      new RegExp(`笔记本：当前进程ID:${executor}\n`),
      new RegExp(`回调（在进程 ${executor} 中）：malu1\n`),
      /get\(\) 以 RangeError 拒绝：处理不了 3/,
      /和输入顺序一致：true/,
      /主进程: \[ 'Hello!!', '你好' \]/,
      /来自进程2:你好!/,
    ],
  },
};

for (const [lang, claims] of Object.entries(PROCESS_CLAIMS))
  test(`the processes notebook (${lang}) runs end to end and shows what its text claims`, async () => {
    const nb = JSON.parse(
      readFileSync(join(__dirname, "..", "..", "..", "..", "notebooks", ...claims.dir, "03-processes.ipynb"), "utf8"),
    ) as {
      cells: { cell_type: string; source: string[] }[];
    };
    const headings = nb.cells
      .filter((c) => c.cell_type === "markdown")
      .map((c) => c.source.join(""))
      .join("\n");
    for (const n of ["3.1", "3.3", "3.4", "3.5", "3.6", "3.7", "3.8"])
      assert.match(headings, new RegExp(`^## ${n.replace(".", "\\.")} `, "m"));
    assert.doesNotMatch(headings, /^## 3\.2 /m);
    const executor = await executorPid();
    let all = "";
    for (const cell of nb.cells.filter((c) => c.cell_type === "code")) {
      const r = await run(cell.source.join(""), 300);
      assert.equal(r.status, "ok", `cell failed:\n${cell.source.join("")}\n${r.err}`);
      all += r.out;
    }
    for (const line of claims.lines(executor)) assert.match(all, line);
  });
