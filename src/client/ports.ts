/** Free TCP ports for a new connection file. */
import { createServer, type Server } from "node:net";

/** Returns `count` distinct ports that were free on `host` a moment ago. */
export async function freePorts(count: number, host = "127.0.0.1"): Promise<number[]> {
  // Hold every server open until all are bound, so the OS cannot hand out the same port twice.
  const servers: Server[] = [];
  try {
    const ports: number[] = [];
    for (let i = 0; i < count; i++) {
      const server = createServer();
      servers.push(server);
      await new Promise<void>((resolve, reject) => {
        server.once("error", reject);
        server.listen(0, host, () => resolve());
      });
      const address = server.address();
      if (typeof address !== "object" || address === null) throw new Error("listen() gave no port");
      ports.push(address.port);
    }
    return ports;
  } finally {
    await Promise.all(servers.map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
  }
}
