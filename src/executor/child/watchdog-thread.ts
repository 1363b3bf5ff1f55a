/**
 * The executor's watchdog thread. It reads interrupt requests from the pipe
 * the kernel writes to, so it answers even while the main thread spins in
 * user code. It first asks the main thread politely (a message); if the main
 * thread does not acknowledge within a few tens of milliseconds it is busy,
 * and when user code is on its stack the watchdog ends that JavaScript through
 * the inspector (`Runtime.terminateExecution`). The main thread then handles
 * the queued interrupt message: the cell fails with KeyboardInterrupt and
 * every variable survives.
 *
 * Under Node's permission model (the grading sandbox's fallback) the inspector
 * is denied: the watchdog then only asks politely, which ends a cell that waits
 * (the usual case); a cell that spins is left to the kernel, which restarts the
 * executor when the interrupt does not take.
 */
import inspector from "node:inspector";
import net from "node:net";
import { parentPort, workerData } from "node:worker_threads";
import { WATCHDOG_FLAGS } from "./watchdog-flags";

interface WatchdogData {
  fd: number;
  state: SharedArrayBuffer;
}

/** How long, in milliseconds: output may wait before the watchdog flushes it, an interrupt may go unacknowledged before
 * the watchdog first looks at the main thread's stack (an idle event loop acknowledges well within it) and between
 * later looks, the watchdog keeps trying, and it waits before ending a process whose kernel is gone. */
const MS = { outputCheck: 50, firstAckWait: 1, ackWait: 40, giveUp: 10_000, parentGoneGrace: 1_000 } as const;
const { fd, state } = workerData as WatchdogData;
const flags = new Int32Array(state);
const session = connectToMainThread();

function connectToMainThread(): inspector.Session | undefined {
  const s = new inspector.Session();
  try {
    s.connectToMainThread();
    return s;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ERR_ACCESS_DENIED") return undefined;
    throw err;
  }
}

function post<T>(method: string, params?: object): Promise<T> {
  return new Promise((resolve, reject) => {
    if (!session) return reject(new Error("no inspector"));
    session.post(method, params ?? {}, (err, result) => (err ? reject(err) : resolve(result as T)));
  });
}

let busy = false;
let again = false;

let target: string | undefined;

async function interrupt(cell: string | undefined): Promise<void> {
  target = cell;
  if (busy) {
    again = true;
    return;
  }
  busy = true;
  do {
    again = false;
    Atomics.store(flags, WATCHDOG_FLAGS.ack, 0);
    parentPort?.postMessage({ type: "interrupt", target });
    // The kernel was idle (target ""), or there is no inspector: nothing may (or can) be terminated, the message is all.
    if (target === "" || !session) continue;
    const started = Date.now();
    // Looking early is safe: only a stack with user code on it is ended, and such a stack cannot take the message.
    let wait: number = MS.firstAckWait;
    while (Atomics.wait(flags, WATCHDOG_FLAGS.ack, 0, wait) === "timed-out" && Date.now() - started < MS.giveUp) {
      wait = MS.ackWait;
      const { result } = await post<{ result: { value?: string } }>("Runtime.evaluate", {
        expression: `globalThis[Symbol.for("spindle.prepareTerminate")]?.(${JSON.stringify(target ?? null)})`,
        returnByValue: true,
      });
      if (result.value === "user") await post("Runtime.terminateExecution");
    }
  } while (again);
  busy = false;
}

/** Text waiting longer than the batch interval means the main thread is busy: flush it from here. */
setInterval(() => {
  if (!session) return;
  const since = Atomics.load(flags, WATCHDOG_FLAGS.pendingSince);
  if (since === 0 || busy) return;
  const waited = (Date.now() % 0x7fffffff) - since;
  if (waited < MS.outputCheck) return;
  void post("Runtime.evaluate", { expression: 'globalThis[Symbol.for("spindle.flushOutput")]?.()' }).catch(
    () => undefined,
  );
}, MS.outputCheck).unref();

const pipe = new net.Socket({ fd, readable: true, writable: false });
// One line per interrupt: "i" and the msg_id of the execute request the kernel is waiting for
// (empty when the kernel is idle), so an interrupt can never hit a cell that started after it.
let partial = "";
pipe.on("data", (chunk: Buffer) => {
  const lines = (partial + chunk.toString("utf8")).split("\n");
  partial = lines.pop() ?? "";
  for (const line of lines) if (line.startsWith("i")) void interrupt(line.slice(1));
});
pipe.on("error", () => undefined);
// The kernel holds the other end: when it closes, the kernel is gone. The main thread normally
// exits on its own (IPC disconnect), but not while user code spins, so the watchdog ends the
// process itself after a grace period. (process.exit here would end only this thread.)
pipe.on("close", () => {
  setTimeout(() => process.kill(process.pid, "SIGKILL"), MS.parentGoneGrace);
});
