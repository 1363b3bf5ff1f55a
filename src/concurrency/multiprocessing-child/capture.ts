/**
 * The child's one output-capture module: stdout/stderr writes travel to the
 * parent over the same channel as results, so a task's prints always arrive
 * before its result (a separate pipe could overtake them).
 */
import type { ToParent } from "../multiprocessing/messages";

type Write = (chunk: unknown, encoding?: unknown, cb?: unknown) => boolean;

/** Routes this process's (or thread's) stdout and stderr through `send`. */
export function captureOutput(send: (msg: ToParent) => void): void {
  for (const name of ["stdout", "stderr"] as const) {
    const stream = process[name] as unknown as { write: Write };
    stream.write = (chunk, encoding, cb) => {
      const text = typeof chunk === "string" ? chunk : Buffer.from(chunk as Uint8Array).toString(typeof encoding === "string" ? (encoding as BufferEncoding) : "utf8");
      send({ t: "out", name, text });
      const done = typeof encoding === "function" ? encoding : cb;
      if (typeof done === "function") queueMicrotask(() => (done as () => void)());
      return true;
    };
  }
}
