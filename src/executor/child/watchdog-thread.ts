/**
 * The executor's watchdog thread. It reads interrupt requests from the pipe
 * the kernel writes to, so it answers even while the main thread spins in
 * user code. It first asks the main thread politely (a message); if the main
 * thread does not acknowledge within a few tens of milliseconds it is busy,
 * and when user code is on its stack the watchdog ends that JavaScript through
 * the inspector (`Runtime.terminateExecution`). The main thread then handles
 * the queued interrupt message: the cell fails with KeyboardInterrupt and
 * every variable survives.
 */
import inspector from "node:inspector";
import net from "node:net";
import { parentPort, workerData } from "node:worker_threads";

interface WatchdogData {
  fd: number;
  state: SharedArrayBuffer;
}

const ACK = 0;
const ACK_WAIT_MS = 40;
const GIVE_UP_MS = 10_000;
const { fd, state } = workerData as WatchdogData;
const flags = new Int32Array(state);
const session = new inspector.Session();
session.connectToMainThread();

function post<T>(method: string, params?: object): Promise<T> {
  return new Promise((resolve, reject) => {
    session.post(method, params ?? {}, (err, result) => (err ? reject(err) : resolve(result as T)));
  });
}

let busy = false;
let again = false;

async function interrupt(): Promise<void> {
  if (busy) {
    again = true;
    return;
  }
  busy = true;
  do {
    again = false;
    Atomics.store(flags, ACK, 0);
    parentPort?.postMessage({ type: "interrupt" });
    const started = Date.now();
    while (Atomics.wait(flags, ACK, 0, ACK_WAIT_MS) === "timed-out" && Date.now() - started < GIVE_UP_MS) {
      const { result } = await post<{ result: { value?: string } }>("Runtime.evaluate", {
        expression: 'globalThis[Symbol.for("spindle.prepareTerminate")]?.()',
        returnByValue: true,
      });
      if (result.value === "user") await post("Runtime.terminateExecution");
    }
  } while (again);
  busy = false;
}

const pipe = new net.Socket({ fd, readable: true, writable: false });
pipe.on("data", (chunk: Buffer) => {
  for (const byte of chunk) if (byte === 0x69 /* "i" */) void interrupt();
});
pipe.on("error", () => undefined);
pipe.on("close", () => process.exit(0));
