/**
 * The entry point of a pooled worker thread. It attaches to the shared thread
 * registry, sends everything written to stdout/stderr straight to the main
 * thread (in order, without waiting for acknowledgements, so output printed
 * just before a blocking wait is not held back), then runs one shipped call
 * after another as the main thread asks.
 */
import { parentPort, workerData } from "node:worker_threads";
import { serializeError } from "../../errors";
import { attachRegistry, setCurrentThread } from "../shared/registry";
import { wake } from "../shared/futex";
import { enterThread, exitThread, exploring, ScheduleAborted, setControlMode } from "../shared/schedule";
import { setTimeScale } from "../time/scale";
import { unpackCall } from "../shipping/unpack";
import { packValue } from "../shipping/pack";
import type { ShippedData } from "../shipping/types";
import { isPlainData } from "../shipping/plain-data";
import type { FromWorker, ToWorker, WorkerBoot } from "../threading/messages";
import { Thread } from "../threading/thread";
import { setWorkerCurrentThread } from "../threading/current";
import { attachState, newThreadState, THREAD_STATE, type ThreadState } from "../threading/thread-state";
import { captureStdio } from "../../system/stdout-capture";
import { traceLife, traceThreadLane } from "../shared/trace";

const port = parentPort!;
const boot = workerData as WorkerBoot;
attachRegistry(boot.registry);
setTimeScale(boot.timeScale);

function post(msg: FromWorker): void {
  port.postMessage(msg);
}

captureStdio((stream, text) => post({ type: "out", stream, text }));

for (const file of boot.preload) {
  try {
    require(file);
  } catch {
    // Preloading only saves time on the first thread; a module missing here is loaded (or fails) when used.
  }
}

port.on("message", (msg: ToWorker) => {
  if (msg.type === "run") {
    // Threads started while an exploration runs may be explored: their primitives take the controlled paths.
    setControlMode(exploring());
    void run(msg);
  }
});
const baseline = resourceCount();

async function run(msg: Extract<ToWorker, { type: "run" }>): Promise<void> {
  const info = msg.thread;
  setCurrentThread(info.ident, info.slot);
  const state: ThreadState = {
    ...newThreadState(info.name, info.daemon, info.done),
    ident: info.ident,
    started: true,
    remote: true,
  };
  let error: ReturnType<typeof serializeError> | undefined;
  let instance: object | undefined;
  traceThreadLane(info.name); // this thread's row on a recorded timeline
  traceLife("start");
  let controlled = false;
  let caught: unknown;
  try {
    controlled = enterThread(); // while a schedule is explored: wait for this thread's first turn
    const call = unpackCall(msg.call);
    instance = call.instance;
    const self = instance instanceof Thread ? instance : (Object.create(Thread.prototype) as Thread);
    attachState(self, state);
    setWorkerCurrentThread(self);
    await call();
  } catch (err) {
    caught = err;
    error = serializeError(err);
  }
  traceLife("end");
  const fields = instance ? copyBack(instance) : undefined;
  state.finished = true;
  Atomics.store(state.done, 0, 1);
  wake(state.done, 0);
  if (controlled) exitThread(error !== undefined && !(caught instanceof ScheduleAborted));
  setWorkerCurrentThread(undefined);
  // Let callbacks the target scheduled for "right after" run before judging whether it left work behind.
  await new Promise((resolve) => setImmediate(resolve));
  if (process.env.SPINDLE_DEBUG_POOL)
    process.stderr.write(`resources ${baseline} ${JSON.stringify(process.getActiveResourcesInfo())}\n`);
  post({ type: "done", runId: msg.runId, error, fields, reusable: resourceCount() <= baseline });
}

/** The instance's own fields as plain data; fields that cannot travel back stay behind. */
function copyBack(instance: object): Array<[string, ShippedData]> {
  const out: Array<[string, ShippedData]> = [];
  for (const key of Object.keys(instance)) {
    if (key === (THREAD_STATE as unknown as string)) continue;
    const value = (instance as Record<string, unknown>)[key];
    // Only plain data comes back: by-reference values are the same object on the main thread already,
    // and other objects (class instances, functions) stay the main thread's own.
    if (isPlainData(value, "thread") !== undefined) continue;
    try {
      out.push([key, packValue(value, { for: "thread", path: key })]);
    } catch {
      // A field holding something only this thread can use (a socket, a promise) is not copied back.
    }
  }
  return out;
}

function resourceCount(): number {
  return process.getActiveResourcesInfo().length;
}
