/**
 * The heartbeat: echo every ping back. The kernel process never runs user code,
 * so this answers even while a cell spins in `while (true) {}`.
 */
import type { Reply } from "zeromq";
import type { Logger } from "../system/log";

/** Echoes pings on `socket` until it is closed. */
export async function runHeartbeat(socket: Reply, log: Logger): Promise<void> {
  try {
    for await (const frames of socket) await socket.send(frames);
  } catch (err) {
    if (!socket.closed) log.warn(`heartbeat stopped: ${(err as Error).message}`);
  }
}
