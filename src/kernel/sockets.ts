/**
 * The kernel's five ZeroMQ sockets, bound to the connection file's endpoints:
 * shell, control and stdin (ROUTER), iopub (PUB) and the heartbeat (REP).
 */
import { Publisher, Reply, Router } from "zeromq";
import { type Channel, type ConnectionInfo, endpoint } from "../protocol";

/** The bound sockets. */
export interface KernelSockets {
  shell: Router;
  control: Router;
  stdin: Router;
  iopub: Publisher;
  hb: Reply;
}

/** Hard cap enforced by ZeroMQ itself: bigger messages disconnect the sender (the kernel's own check is lower). */
const ZMQ_MAX_MESSAGE_BYTES = 1024 * 1024 * 1024;

/** Binds all sockets; returns them with `info` updated to the ports really bound (for port 0). */
export async function bindSockets(info: ConnectionInfo): Promise<{ sockets: KernelSockets; info: ConnectionInfo }> {
  const router = (): Router =>
    new Router({ linger: 1000, maxMessageSize: ZMQ_MAX_MESSAGE_BYTES, sendHighWaterMark: 0 });
  const sockets: KernelSockets = {
    shell: router(),
    control: router(),
    stdin: router(),
    // noDrop: a full subscriber makes send() fail with EAGAIN; the send queue waits and retries.
    iopub: new Publisher({ linger: 1000, noDrop: true, sendHighWaterMark: 1000 }),
    hb: new Reply({ linger: 0 }),
  };
  const bound: ConnectionInfo = { ...info };
  try {
    for (const channel of ["shell", "control", "stdin", "iopub", "hb"] as Channel[]) {
      const socket = sockets[channel];
      await socket.bind(endpoint(info, channel));
      if (info.transport === "tcp" && info[`${channel}_port`] === 0) {
        const port = Number(/:(\d+)$/.exec(socket.lastEndpoint ?? "")?.[1]);
        bound[`${channel}_port`] = port;
      }
    }
  } catch (err) {
    closeSockets(sockets);
    throw err;
  }
  return { sockets, info: bound };
}

/** Closes every socket (pending outgoing messages linger up to 1 s). */
export function closeSockets(sockets: KernelSockets): void {
  for (const socket of Object.values(sockets) as { closed: boolean; close(): void }[]) {
    if (!socket.closed) socket.close();
  }
}
