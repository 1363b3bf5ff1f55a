/**
 * The child's side of its channel to the parent, the same for a child process
 * (Node IPC) and a ThreadPool worker thread (a message port): messages batched
 * by an Outbox, and stdout/stderr captured into it, so a task's prints always
 * arrive before its result (a separate pipe could overtake them).
 */
import { captureStdio } from "../../system/stdout-capture";
import type { ToChild, ToParent } from "../multiprocessing/messages";
import { Outbox, unbatch, type Batch } from "../multiprocessing/outbox";
import type { ParentPort } from "./runtime";

/** Opens the port over a channel: `post` sends one message or batch, `listen` subscribes to incoming ones. */
export function openParentPort(
  post: (msg: ToParent | Batch<ToParent>, flushed?: () => void) => void,
  listen: (handler: (msg: ToChild | Batch<ToChild>) => void) => void,
): ParentPort {
  const outbox = new Outbox<ToParent>(post);
  const port: ParentPort = {
    send(msg, flushed) {
      outbox.push(msg, msg.t === "out");
      if (flushed) outbox.flush(flushed);
    },
    fold: (fold) => outbox.fold(fold),
    onMessage(cb) {
      listen((m) => unbatch(m, cb));
    },
  };
  captureStdio((name, text) => port.send({ t: "out", name, text }));
  return port;
}
