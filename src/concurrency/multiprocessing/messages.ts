/**
 * Messages between a parent (the process or thread that owns the objects) and
 * the children and pool workers it runs. Both sides import only this file from
 * each other. Values inside `args`/`value` are encoded by `handles.ts`.
 */
import type { SerializedError } from "../../errors";
import type { ShippedCall } from "../shipping";
import type { ShippedCode } from "./ship";

/** Parent → child (process or pool thread). */
export type ToChild =
  /** Run a Process target (function or Process subclass) once, then exit. */
  | { t: "run"; name: string; timeScale: number; call: ShippedCall }
  /** Become a pool worker: run the initializer, then serve `task` messages. */
  | { t: "pool"; name: string; timeScale: number; initializer?: ShippedCode; initargs: unknown[] }
  /** A spare waiting for work: load these module files now (recent targets needed them). */
  | { t: "preload"; files: string[] }
  /** Define a function the worker will be asked to run by `key`. */
  | { t: "fn"; key: number; code: ShippedCode }
  /**
   * Run chunks of calls of function `key`, in order: chunk `ids[i]` is the calls `chunks[i]`; `star`
   * spreads each item as arguments. Chunks sent in one turn travel together (one message, one wake-up).
   */
  | { t: "tasks"; key: number; star: boolean; ids: number[]; chunks: ArrayLike<unknown>[] }
  /** The answer to a `call`. */
  | { t: "reply"; id: number; ok: true; value: unknown }
  | { t: "reply"; id: number; ok: false; error: SerializedError };

/** Child (process or pool thread) → parent. */
export type ToParent =
  /** The child runtime is up and waits for `run` or `pool`. */
  | { t: "ready" }
  /** Text the child printed. */
  | { t: "out"; name: "stdout" | "stderr"; text: string }
  /** An operation on a shared object; answered by `reply` with the same id. */
  | { t: "call"; id: number; obj: string; op: string; args: unknown[] }
  /** An operation whose answer nobody waits for (put on an unbounded queue, send on a pipe). */
  | { t: "cast"; obj: string; op: string; args: unknown[] }
  /** Create a shared object with a child-made id (objects live with the parent). */
  | { t: "create"; obj: string; kind: string; args: unknown[] }
  /** Chunks finished: chunk `ids[i]` gave the results `values[i]` (finished chunks travel together). */
  | { t: "done"; ids: number[]; values: ArrayLike<unknown>[] }
  /** A chunk failed: its first error. */
  | { t: "failed"; id: number; error: SerializedError }
  /** The Process target finished (ok) or threw; the child exits next. */
  | { t: "finished"; ok: boolean; error?: SerializedError };
