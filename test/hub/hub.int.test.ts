/**
 * Spindle under a real JupyterHub (loopback only): a student's single-user
 * server is started through the hub's REST API, a Spindle kernel is started
 * through the hub's proxy with @jupyterlab/services, runs threads and a Pool
 * under the CPU_LIMIT the hub sets, reports busy/idle exactly for every request
 * (what idle culling relies on), stays idle with only a daemon thread left, and
 * leaves nothing behind when the server is stopped.
 */
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { KernelManager, ServerConnection, type Kernel, type KernelMessage } from "@jupyterlab/services";
import WebSocket from "ws";
import { cmdline, spindlePids, startHub, taggedPids, type Hub } from "./hub";
import { until, within } from "../helpers/wait";

const USER = "student1";
const LONG = 120_000;

let hub: Hub | undefined;
let manager: KernelManager | undefined;
let kernel: Kernel.IKernelConnection | undefined;
let baseUrl = "";
let spindleBefore = new Set<number>();
/** Every Spindle process (kernel, executor, pool children) seen while the server ran. */
const seen = new Set<number>();
const iopub: KernelMessage.IIOPubMessage[] = [];

/** Polls `probe` every 200 ms until it returns a value; fails after `ms` with the tail of the hub's log. */
function untilHub<T>(probe: () => Promise<T | undefined> | T | undefined, ms: number, what: string): Promise<T> {
  return until(probe, ms, () => `${what}${hub ? `\nhub log tail:\n${hub.log().slice(-4000)}` : ""}`, 200);
}

function activeHub(): Hub {
  assert.ok(hub, "the hub is running");
  return hub;
}

function activeKernel(): Kernel.IKernelConnection {
  assert.ok(kernel, "a kernel was started by an earlier test");
  return kernel;
}

/** Spindle processes of this hub (tagged) now. */
function ourSpindlePids(): number[] {
  const tagged = new Set(taggedPids(activeHub().tag));
  return spindlePids().filter((p) => tagged.has(p));
}

/** The kernel as the single-user server's REST API reports it (what the culler reads). */
async function kernelModel(): Promise<{ execution_state: string; last_activity: string }> {
  const res = await fetch(`${baseUrl}api/kernels/${activeKernel().id}`, {
    headers: { Authorization: `token ${activeHub().token}` },
    signal: AbortSignal.timeout(30_000),
  });
  assert.equal(res.status, 200);
  return (await res.json()) as { execution_state: string; last_activity: string };
}

/** Runs `code`; resolves with its reply and the outputs (iopub messages other than status) it caused. */
async function run(
  code: string,
): Promise<{ reply: KernelMessage.IExecuteReplyMsg; outputs: KernelMessage.IIOPubMessage[] }> {
  const future = activeKernel().requestExecute({ code, stop_on_error: true });
  const outputs: KernelMessage.IIOPubMessage[] = [];
  future.onIOPub = (msg) => {
    if (msg.header.msg_type !== "status") outputs.push(msg);
  };
  const reply = (await within(future.done, LONG, `execute ${code.slice(0, 40)}`)) as KernelMessage.IExecuteReplyMsg;
  for (const p of ourSpindlePids()) seen.add(p);
  return { reply, outputs };
}

function streamText(outputs: KernelMessage.IIOPubMessage[], name: "stdout" | "stderr"): string {
  return outputs
    .filter((m) => m.header.msg_type === "stream" && (m.content as { name: string }).name === name)
    .map((m) => (m.content as { text: string }).text)
    .join("");
}

/** The status messages (busy/idle) whose parent is `msgId`, in arrival order. */
function statusesOf(msgId: string): string[] {
  return iopub
    .filter(
      (m) =>
        m.header.msg_type === "status" && m.parent_header && (m.parent_header as { msg_id?: string }).msg_id === msgId,
    )
    .map((m) => (m.content as { execution_state: string }).execution_state);
}

before(async () => {
  spindleBefore = new Set(spindlePids());
  // As a hub's spawner does for a student with a 1-CPU, 1 GiB quota.
  hub = await startHub({ env: { CPU_LIMIT: "1", MEM_LIMIT: "1G" } });
});

after(async () => {
  try {
    kernel?.dispose();
    manager?.dispose();
  } finally {
    await hub?.close();
  }
});

test("the hub starts a student's server through its REST API, and the server sees the Spindle kernelspec", async () => {
  const h = activeHub();
  const created = await h.api("POST", `/users/${USER}`);
  assert.equal(created.status, 201, JSON.stringify(created.json));
  const started = await h.api("POST", `/users/${USER}/server`);
  assert.ok(
    started.status === 201 || started.status === 202,
    `start server: ${started.status} ${JSON.stringify(started.json)}`,
  );
  const server = await untilHub(
    async () => {
      const model = (await h.api("GET", `/users/${USER}`)).json as {
        servers: Record<string, { ready: boolean; url: string }>;
      };
      return model.servers[""]?.ready ? model.servers[""] : undefined;
    },
    LONG,
    "the student's server to be ready",
  );
  baseUrl = `${h.url}${server.url}`;
  const specs = await fetch(`${baseUrl}api/kernelspecs`, {
    headers: { Authorization: `token ${h.token}` },
    signal: AbortSignal.timeout(30_000),
  });
  assert.equal(specs.status, 200);
  const body = (await specs.json()) as {
    kernelspecs: Record<string, { spec: { display_name: string; language: string } }>;
  };
  assert.equal(body.kernelspecs.spindle?.spec.language, "typescript");
});

test("through the hub's proxy a Spindle kernel runs threads and a Pool sized by the hub's CPU_LIMIT", async () => {
  const h = activeHub();
  assert.ok(baseUrl, "the server was started");
  const serverSettings = ServerConnection.makeSettings({
    baseUrl,
    wsUrl: baseUrl.replace(/^http/, "ws"),
    token: h.token,
    appendToken: true,
    WebSocket: WebSocket as unknown as typeof globalThis.WebSocket,
    fetch,
    Request,
    Headers,
  });
  manager = new KernelManager({ serverSettings });
  kernel = await within(manager.startNew({ name: "spindle" }), LONG, "start a spindle kernel");
  kernel.iopubMessage.connect((_, msg) => void iopub.push(msg));
  await untilHub(() => (kernel?.connectionStatus === "connected" ? true : undefined), LONG, "the kernel websocket");
  await within(kernel.requestKernelInfo(), LONG, "kernel_info");

  const define = await run("function fib(n: number): number { return n < 2 ? n : fib(n - 1) + fib(n - 2); }");
  assert.equal(define.reply.content.status, "ok");
  const cell = await run(
    [
      `import { Thread } from "spindle/threading";`,
      `import { Pool, cpuCount } from "spindle/multiprocessing";`,
      `const threads = [20, 21, 22].map((k) => new Thread({ target: (n: number) => console.log(\`thread fib(\${n}) = \${fib(n)}\`), args: [k] }));`,
      `for (const t of threads) t.start();`,
      `for (const t of threads) await t.join();`,
      `const pool = new Pool();`,
      `const values = await pool.map(fib, [10, 11, 12, 13]);`,
      `console.log(\`pool of \${pool.size} on \${cpuCount()} CPU: \${values.join(",")}\`);`,
      `const wide = new Pool(2);`,
      `console.log(\`wide pool: \${(await wide.map(fib, [5, 6])).join(",")}\`);`,
    ].join("\n"),
  );
  const stdout = streamText(cell.outputs, "stdout");
  assert.equal(cell.reply.content.status, "ok", JSON.stringify(cell.outputs.map((m) => m.content)));
  const lines = stdout.trim().split("\n").sort();
  assert.deepEqual(lines, [
    "pool of 1 on 1 CPU: 55,89,144,233",
    "thread fib(20) = 6765",
    "thread fib(21) = 10946",
    "thread fib(22) = 17711",
    "wide pool: 5,8",
  ]);
  assert.match(
    streamText(cell.outputs, "stderr"),
    /Warning: Pool\(2\) asks for 2 workers, but this server's CPU quota is 1 \(CPU_LIMIT=1\)/,
  );
  // The kernel, its executor and the pools' child processes all run this checkout's code.
  const lines2 = [...seen].map(cmdline);
  assert.ok(
    lines2.some((l) => /bin\/spindle\.js kernel /.test(l)),
    `kernel process seen: ${lines2.join("\n")}`,
  );
  assert.ok(
    lines2.some((l) => /dist\/src\/executor\/child\/main\.js/.test(l)),
    "executor process seen",
  );
  assert.ok(
    lines2.filter((l) => /dist\/src\/concurrency\/multiprocessing-child\/main\.js/.test(l)).length >= 3,
    "pool children seen",
  );
});

test("busy/idle is exact for every request: one busy, then one idle, under the request's own parent", async () => {
  const k = activeKernel();
  const ids: string[] = [];
  ids.push((await within(k.requestKernelInfo(), LONG, "kernel_info"))!.parent_header.msg_id);
  ids.push(
    (await within(k.requestComplete({ code: "Math.ma", cursor_pos: 7 }), LONG, "complete")).parent_header.msg_id,
  );
  ids.push(
    (await within(k.requestInspect({ code: "fib", cursor_pos: 3, detail_level: 0 }), LONG, "inspect")).parent_header
      .msg_id,
  );
  ids.push((await within(k.requestIsComplete({ code: "if (true) {" }), LONG, "is_complete")).parent_header.msg_id);
  ids.push(
    (await within(k.requestHistory({ output: false, raw: true, hist_access_type: "tail", n: 3 }), LONG, "history"))
      .parent_header.msg_id,
  );
  ids.push((await within(k.requestCommInfo({}), LONG, "comm_info")).parent_header.msg_id);
  for (const code of ["1 + 1", "console.log('out')", "throw new Error('on purpose')"])
    ids.push((await run(code)).reply.parent_header.msg_id);

  // While a cell runs, the server (and so the hub's culler) sees the kernel busy.
  const slow = k.requestExecute({ code: "await new Promise((r) => setTimeout(r, 3000)); 'slept'" });
  await untilHub(
    async () => ((await kernelModel()).execution_state === "busy" ? true : undefined),
    LONG,
    "execution_state busy while a cell runs",
  );
  ids.push(((await within(slow.done, LONG, "slow cell")) as KernelMessage.IExecuteReplyMsg).parent_header.msg_id);

  for (const id of ids)
    await untilHub(() => (statusesOf(id).includes("idle") ? true : undefined), LONG, `idle for ${id}`);
  for (const id of ids) assert.deepEqual(statusesOf(id), ["busy", "idle"], `statuses of request ${id}`);
  // Also for requests sent by others (the server's own kernel_info nudges): never two busys or idles, never busy without idle.
  const byParent = new Map<string, string[]>();
  for (const m of iopub) {
    const parent = (m.parent_header as { msg_id?: string } | undefined)?.msg_id;
    if (m.header.msg_type !== "status" || !parent) continue;
    byParent.set(parent, [...(byParent.get(parent) ?? []), (m.content as { execution_state: string }).execution_state]);
  }
  for (const [parent, states] of byParent) {
    if (states[0] === "busy") assert.deepEqual(states, ["busy", "idle"], `statuses of ${parent}`);
  }
  assert.equal((await kernelModel()).execution_state, "idle");
});

test("with only a daemon thread left, the kernel reports idle and shows no activity while the thread runs", async () => {
  const setup = await run(
    [
      `import { Thread as DaemonThread, shared } from "spindle/threading";`,
      `import { sleep } from "spindle/time";`,
      `const beat = shared({ n: 0 });`,
    ].join("\n"),
  );
  assert.equal(setup.reply.content.status, "ok");
  const started = await run(
    [
      `const background = new DaemonThread({ daemon: true, target: async () => { for (;;) { beat.n += 1; await sleep(0.05); } } });`,
      `background.start();`,
      `background.isAlive()`,
    ].join("\n"),
  );
  assert.equal(started.reply.content.status, "ok");
  const result = started.outputs.find((m) => m.header.msg_type === "execute_result");
  assert.equal((result?.content as { data: Record<string, string> } | undefined)?.data["text/plain"], "true");
  const first = await untilHub(
    async () => {
      const m = await kernelModel();
      return m.execution_state === "idle" ? m : undefined;
    },
    LONG,
    "idle after the cell",
  );
  await new Promise((r) => setTimeout(r, 2000));
  const later = await kernelModel();
  assert.equal(later.execution_state, "idle", "a daemon thread does not make the kernel busy");
  assert.equal(later.last_activity, first.last_activity, "a silent daemon thread is no activity (the culler may cull)");
  const check = await run("beat.n > 10 && background.isAlive()");
  const value = check.outputs.find((m) => m.header.msg_type === "execute_result");
  assert.equal(
    (value?.content as { data: Record<string, string> } | undefined)?.data["text/plain"],
    "true",
    "the daemon thread kept running meanwhile",
  );
});

test("stopping the server leaves no kernel, executor, worker or child process behind", async () => {
  const h = activeHub();
  for (const p of ourSpindlePids()) seen.add(p);
  assert.ok(seen.size >= 3, `Spindle processes were seen while the server ran: ${[...seen].join(", ")}`);
  const server = taggedPids(h.tag).filter((p) => /jupyterhub-singleuser/.test(cmdline(p)));
  assert.equal(server.length, 1, "one single-user server ran");
  kernel?.dispose();
  kernel = undefined;
  const stop = await h.api("DELETE", `/users/${USER}/server`);
  assert.ok(stop.status === 202 || stop.status === 204, `stop server: ${stop.status}`);
  await untilHub(
    async () => {
      const model = (await h.api("GET", `/users/${USER}`)).json as { servers: Record<string, unknown> };
      return Object.keys(model.servers).length === 0 ? true : undefined;
    },
    LONG,
    "the hub to report the server stopped",
  );
  const watched = [...new Set([...seen, ...server])];
  const gone = await untilHub(
    () => {
      const alive = new Set([...spindlePids(), ...taggedPids(h.tag)]);
      return watched.every((p) => !alive.has(p)) ? true : undefined;
    },
    60_000,
    "every kernel, executor and child process to exit",
  ).catch(() => false);
  const left = watched.filter((p) => cmdline(p) !== "").map((p) => `${p}: ${cmdline(p)}`);
  assert.equal(gone, true, `left behind:\n${left.join("\n")}`);
  // Nothing of ours runs Spindle code any more; what ran before the test (another checkout user) is not ours.
  const strays = ourSpindlePids().filter((p) => !spindleBefore.has(p));
  assert.deepEqual(
    strays.map((p) => `${p}: ${cmdline(p)}`),
    [],
  );
});
