/**
 * The child runtime shared by child processes and pool worker threads: runs a
 * Process target once, or serves pool tasks one at a time, and links shared
 * objects back to the parent.
 */
import { serializeError, type SerializedError } from "../../errors";
import { deserializeError } from "../../errors";
import { setTimeScale } from "../time/scale";
import { unpackCall } from "../shipping";
import { decode } from "../multiprocessing/handles";
import { setHubLink, renameChild, type CastJoin, type HubLink } from "../multiprocessing/link";
import { loadCode } from "../multiprocessing/ship";
import { runChunk } from "./chunk";
import { packNumbers } from "../multiprocessing/pool/packed";
import { OutputHold } from "./preload";
import type { ToChild, ToParent } from "../multiprocessing/messages";
import { Process, markRunningHere } from "../multiprocessing/process";
import { ProcessStateError } from "../multiprocessing/errors";
import "../multiprocessing/index";
// Loaded while the spare boots rather than when the first target (which almost always sleeps) arrives.
import "../time/index";
import { joinNonDaemonThreads } from "../threading/current";
import { beginSpan, endSpan, recordEvent, setThreadLane } from "../../recorder/record";
import { flushTimelineToParent, onRecordingStarted } from "../../recorder/process-link";

/** How the runtime talks to its parent. */
export interface ParentPort {
  send(msg: ToParent, flushed?: () => void): void;
  /** Lets `fold` take a message into the last one queued and not yet sent (see Outbox.fold). */
  fold(fold: (last: ToParent) => boolean): boolean;
  onMessage(cb: (msg: ToChild) => void): void;
}

type Fn = (...args: unknown[]) => unknown;

/** Starts serving `port`; `exit` ends the process (or thread) with a status. */
export function startRuntime(
  port: ParentPort,
  kind: "process" | "thread",
  parentPid: number,
  exit: (code: number) => void,
): void {
  // A spare's preloaded modules may print before it has work: hold that output until it does (the
  // output capture sends through port.send, so the hold wraps it).
  const hold = new OutputHold();
  const sendNow = port.send.bind(port);
  port.send = (msg, flushed) => {
    if (!hold.keep(msg)) sendNow(msg, flushed);
  };
  let hasWork = false;
  const takeWork = (): void => {
    hasWork = true;
    hold.release((m) => sendNow(m));
  };
  let fObj = "";
  let fOp = "";
  let fArgs: unknown[] = [];
  let fJoin: CastJoin = () => false;
  const foldCast = (m: ToParent): boolean => m.t === "cast" && m.obj === fObj && m.op === fOp && fJoin(m.args, fArgs);
  const pending = new Map<number, { resolve(v: unknown): void; reject(e: unknown): void }>();
  let nextCall = 1;
  const link: HubLink = {
    call(obj, op, args) {
      const id = nextCall++;
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve, reject });
        port.send({ t: "call", id, obj, op, args });
      });
    },
    cast(obj, op, args, join) {
      if (join) {
        // One fold function for every cast (no closure per put in a loop of puts): it reads the f* variables.
        fObj = obj;
        fOp = op;
        fArgs = args;
        fJoin = join;
        if (port.fold(foldCast)) return;
      }
      port.send({ t: "cast", obj, op, args });
    },
    create(obj, kind2, args) {
      port.send({ t: "create", obj, kind: kind2, args });
    },
  };
  setHubLink(link, { name: kind === "process" ? "Process" : "Thread", kind, parentPid });

  const fns = new Map<number, Fn>();
  let chain: Promise<void> = Promise.resolve();

  const finish = (ok: boolean, error?: SerializedError): void => {
    // Timeline events go first, so the parent has them when it learns the process finished.
    recordEvent("end");
    flushTimelineToParent();
    port.send({ t: "finished", ok, error }, () => exit(ok ? 0 : 1));
  };

  // Timeline: a pool worker is "waiting" (hatched) between tasks, running while it serves one.
  let idleSpan = 0;
  let poolWorker = false;
  let serving = false;
  onRecordingStarted(() => {
    if (poolWorker && !serving && idleSpan === 0) idleSpan = beginSpan("wait", "next task");
  });

  async function run(msg: Extract<ToChild, { t: "run" }>): Promise<void> {
    setTimeScale(msg.timeScale);
    renameChild(msg.name);
    setThreadLane(msg.name);
    recordEvent("start");
    try {
      const call = unpackCall(msg.call);
      // A Process subclass arrives as an instance rebuilt without its constructor; a function target gets a stand-in.
      markRunningHere(call.instance instanceof Process ? call.instance : new Process({ name: msg.name }), msg.name);
      await call();
      // Like Python's interpreter at exit: non-daemon threads the target started keep the process alive.
      if (kind === "process") await joinNonDaemonThreads();
      finish(true);
    } catch (err) {
      const text = err instanceof Error ? (err.stack ?? String(err)) : String(err);
      process.stderr.write(`Process ${msg.name}:\n${text}\n`);
      finish(false, serializeError(err));
    }
  }

  /** Runs the chunks of a `tasks` message one after another, in order. */
  async function tasks(msg: Extract<ToChild, { t: "tasks" }>): Promise<void> {
    const fn = fns.get(msg.key);
    for (let i = 0; i < msg.ids.length; i++) {
      const id = msg.ids[i] as number;
      serving = true;
      endSpan(idleSpan, "get", "next task");
      idleSpan = 0;
      try {
        if (!fn)
          throw new ProcessStateError(
            `Internal error: function ${msg.key} was not sent to this pool worker.`,
            "ERR_SPINDLE_INTERNAL",
          );
        const r = runChunk(fn, msg.chunks[i] as ArrayLike<unknown>, msg.star);
        const values = r instanceof Promise ? await r : (r as unknown[]);
        idle();
        sendDone(id, packNumbers(values));
      } catch (err) {
        idle();
        port.send({ t: "failed", id, error: serializeError(err) });
      }
    }
  }

  /** Results of chunks finished in one turn travel as one message. */
  function sendDone(id: number, values: ArrayLike<unknown>): void {
    const joined = port.fold((m) => {
      if (m.t !== "done") return false;
      m.ids.push(id);
      m.values.push(values);
      return true;
    });
    if (!joined) port.send({ t: "done", ids: [id], values: [values] });
  }

  function idle(): void {
    serving = false;
    idleSpan = beginSpan("wait", "next task");
    flushTimelineToParent();
  }

  port.onMessage((msg) => {
    switch (msg.t) {
      case "reply": {
        const p = pending.get(msg.id);
        pending.delete(msg.id);
        if (msg.ok) p?.resolve(msg.value);
        else p?.reject(deserializeError(msg.error));
        return;
      }
      case "preload":
        hold.preload(msg.files, hasWork);
        return;
      case "run":
        takeWork();
        void run(msg);
        return;
      case "pool":
        takeWork();
        setTimeScale(msg.timeScale);
        renameChild(msg.name);
        setThreadLane(msg.name);
        recordEvent("start");
        poolWorker = true;
        idleSpan = beginSpan("wait", "next task");
        if (msg.initializer) {
          const init = loadCode(msg.initializer) as Fn;
          chain = chain
            .then(async () => {
              await init(...(decode(msg.initargs) as unknown[]));
            })
            .catch((err: unknown) => {
              process.stderr.write(
                `Pool initializer failed in ${msg.name}: ${err instanceof Error ? err.stack : String(err)}\n`,
              );
              exit(1);
            });
        }
        return;
      case "fn":
        fns.set(msg.key, loadCode(msg.code) as Fn);
        return;
      case "tasks":
        chain = chain.then(() => tasks(msg));
        return;
    }
  });
  port.send({ t: "ready" });
}
