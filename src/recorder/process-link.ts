/**
 * Timeline events across processes. Each process records into its own shared
 * buffer; a child forwards its events to the parent over the IPC channel the
 * parent already has with it (tagged messages that other handlers ignore).
 *
 * Parent side: `linkChildTimeline(child)` right after spawning/forking.
 * Child side: `attachTimelineToParent(name)` once at start-up, and
 * `flushTimelineToParent()` before the child reports its result, so the
 * events travel ahead of the result on the same (ordered) channel.
 */
import type { ChildProcess } from "node:child_process";
import { beginGeneration, readEvents, stopRecording, type RawEvent } from "./buffer";
import { processBuffer, publishSkipped, setThreadLane } from "./record";
import { activeGeneration, addEventSource } from "./session";

/** The key that marks Spindle's timeline messages on an IPC channel. */
export const TIMELINE_MESSAGE_KEY = "__spindle_timeline__";

/** Messages on the IPC channel between a parent and a child about the timeline. */
export type TimelineIpcMessage =
  | { [TIMELINE_MESSAGE_KEY]: "on"; gen: number }
  | { [TIMELINE_MESSAGE_KEY]: "off"; gen: number }
  | {
      [TIMELINE_MESSAGE_KEY]: "events";
      gen: number;
      events: RawEvent[];
      dropped: number;
      limited: number;
      final: boolean;
    };

/** True for a timeline message (other IPC handlers should skip these). */
export function isTimelineMessage(msg: unknown): msg is TimelineIpcMessage {
  return typeof msg === "object" && msg !== null && TIMELINE_MESSAGE_KEY in msg;
}

const FINAL_WAIT_MS = 500;

/** Parent side: forwards recording on/off to `child` and collects its events; returns an unlink function. */
export function linkChildTimeline(child: ChildProcess): () => void {
  let gen = 0;
  let received: RawEvent[] = [];
  let dropped = 0;
  let limited = 0;
  let finalFor: ((ok: boolean) => void) | undefined;
  let closed = false;
  const send = (msg: TimelineIpcMessage): boolean => {
    if (!child.connected) return false;
    try {
      child.send(msg);
      return true;
    } catch {
      return false; // the child is going away; its events were flushed before its result
    }
  };
  const onMessage = (msg: unknown): void => {
    if (!isTimelineMessage(msg) || msg[TIMELINE_MESSAGE_KEY] !== "events" || msg.gen !== gen) return;
    received.push(...msg.events);
    dropped = Math.max(dropped, msg.dropped);
    limited = Math.max(limited, msg.limited);
    if (msg.final) finalFor?.(true);
  };
  child.on("message", onMessage);
  const remove = addEventSource({
    started(g) {
      gen = g;
      received = [];
      dropped = 0;
      limited = 0;
      send({ [TIMELINE_MESSAGE_KEY]: "on", gen: g });
    },
    async collect(g) {
      if (!closed && g === gen && send({ [TIMELINE_MESSAGE_KEY]: "off", gen: g })) {
        await new Promise<boolean>((resolve) => {
          const settle = (ok: boolean): void => {
            clearTimeout(timer);
            // The child outlives this recording (a pool worker serves many): leave no listener behind on it.
            child.off("exit", onExit);
            resolve(ok);
          };
          const onExit = (): void => settle(false);
          // Not unref'd: a warm spare's channel is, and the script must live until the answer comes.
          const timer = setTimeout(() => settle(false), FINAL_WAIT_MS);
          finalFor = settle;
          child.once("exit", onExit);
        });
        finalFor = undefined;
      }
      const events = g === gen ? received : [];
      received = [];
      if (closed) remove();
      return { events, dropped, limited };
    },
  });
  // A child that has ended keeps its events until the recording that wants them is collected.
  const unlink = (): void => {
    if (closed) return;
    closed = true;
    child.off("message", onMessage);
    finalFor?.(false);
    if (received.length === 0) remove();
  };
  const active = activeGeneration();
  if (active !== 0) {
    gen = active;
    send({ [TIMELINE_MESSAGE_KEY]: "on", gen: active });
  }
  return unlink;
}

// ---- child side ----

let parentGen = 0;
let readFrom = 0;
let flushTimer: NodeJS.Timeout | undefined;
let attached = false;

/** Child side: names this process's lane and follows the parent's recording on/off; call once at start-up. */
export function attachTimelineToParent(processName?: string): void {
  if (processName !== undefined) setThreadLane(processName);
  else setThreadLane(`Process-${process.pid}`);
  if (attached || typeof process.send !== "function") return;
  attached = true;
  process.on("message", (msg: unknown) => {
    if (!isTimelineMessage(msg)) return;
    const kind = msg[TIMELINE_MESSAGE_KEY];
    if (kind === "on") {
      parentGen = msg.gen;
      readFrom = 0;
      localGen = beginGeneration(processBuffer());
      flushTimer ??= setInterval(() => flushTimelineToParent(), 100);
      flushTimer.unref();
      for (const cb of startListeners) cb();
    } else if (kind === "off" && msg.gen === parentGen) {
      stopRecording(processBuffer());
      if (flushTimer) clearInterval(flushTimer);
      flushTimer = undefined;
      flush(true);
    }
  });
}
let localGen = 0;
const startListeners = new Set<() => void>();

/** Child side: calls `cb` each time the parent starts a recording (e.g. to open an "idle" span). */
export function onRecordingStarted(cb: () => void): () => void {
  startListeners.add(cb);
  return () => startListeners.delete(cb);
}

/** Child side: sends the events recorded since the last flush to the parent (call before reporting a result). */
export function flushTimelineToParent(): void {
  flush(false);
}

function flush(final: boolean): void {
  if (parentGen === 0 || typeof process.send !== "function" || !process.connected) return;
  publishSkipped();
  const { events, next, dropped, limited } = readEvents(processBuffer(), localGen, readFrom, final);
  readFrom = next;
  if (events.length === 0 && !final) return;
  const msg: TimelineIpcMessage = { [TIMELINE_MESSAGE_KEY]: "events", gen: parentGen, events, dropped, limited, final };
  process.send(msg);
}
