/**
 * The one way Spindle takes over a process's (or worker thread's) standard
 * output and error: every `process.stdout.write` / `process.stderr.write`,
 * string or bytes, goes to `emit` as text instead. The executor routes it to
 * cells, a multiprocessing child and a threading worker send it to their parent.
 */

/** Which standard stream a write went to. */
export type StdStream = "stdout" | "stderr";

/** `process.stdout.write` as it was before the capture. */
export type StreamWrite = (text: string) => boolean;

/**
 * Sends every write to stdout/stderr to `emit`, which must not block; write callbacks run
 * on the next tick, as for a stream that accepted the data. Returns the original writers.
 */
export function captureStdio(emit: (stream: StdStream, text: string) => void): Record<StdStream, StreamWrite> {
  const original = {
    stdout: process.stdout.write.bind(process.stdout) as StreamWrite,
    stderr: process.stderr.write.bind(process.stderr) as StreamWrite,
  };
  for (const name of ["stdout", "stderr"] as const) {
    const stream = process[name];
    stream.write = function write(chunk: unknown, encoding?: unknown, callback?: unknown): boolean {
      const text =
        typeof chunk === "string"
          ? chunk
          : Buffer.from(chunk as Uint8Array).toString(
              typeof encoding === "string" ? (encoding as BufferEncoding) : "utf8",
            );
      emit(name, text);
      const done = typeof encoding === "function" ? encoding : callback;
      if (typeof done === "function") process.nextTick(done as () => void);
      return true;
    } as typeof stream.write;
  }
  return original;
}
