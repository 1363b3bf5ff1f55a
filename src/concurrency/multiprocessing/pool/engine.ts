/**
 * The pool engine shared by Pool (processes) and ThreadPool (threads): a queue
 * of chunks, dispatched to the least-loaded worker with tasks sent ahead
 * (pipelined) while chunks are short, one at a time while they are long — so
 * tiny tasks do not pay a round trip each, and long ones still spread evenly.
 * A worker that dies fails its chunks with ProcessCrashedError and is replaced.
 */
import { deserializeError } from "../../../errors";
import { writeStream, type CellContext } from "../../../runtime/cell-context";
import { ProcessCrashedError } from "../errors";
import type { ShippedCode } from "../ship";
import type { PoolWorker, WorkerFactory } from "./transport";

/** A batch of calls of one function, settled all at once. */
export interface Chunk {
  key: number;
  code: ShippedCode;
  /** The calls' arguments (a Float64Array when they are all numbers, see packed.ts). */
  items: ArrayLike<unknown>;
  star: boolean;
  /** The cell that submitted it: the worker's output goes there while it runs. */
  cell: CellContext | undefined;
  settle(ok: boolean, valuesOrError: unknown): void;
  /** Set by the engine when the chunk is sent: its task id and when it left. */
  id?: number;
  sentAt?: number;
}

interface Slot {
  worker: PoolWorker;
  /** Chunks sent and not finished, oldest first (a worker runs its chunks in order). */
  inFlight: Chunk[];
  known: Set<number>;
  /** Smoothed ms per chunk on this worker. */
  avgMs: number;
  lastDone: number;
  alive: boolean;
}

/** Engine options. */
export interface EngineOptions {
  size: number;
  factory: WorkerFactory;
  kindName: string;
  setup(worker: PoolWorker, index: number): void;
  cell: CellContext | undefined;
}

/** The engine behind Pool and ThreadPool. */
export class PoolEngine {
  readonly #slots: Slot[] = [];
  readonly #queue: Chunk[] = [];
  #qHead = 0;
  #nextTask = 1;
  #outstanding = 0;
  #stopping = false;
  #idleWaiters: (() => void)[] = [];

  constructor(readonly options: EngineOptions) {
    for (let i = 0; i < options.size; i++) this.#slots.push(this.#spawn(i));
  }

  #spawn(index: number): Slot {
    const worker = this.options.factory();
    worker.cell = this.options.cell;
    // Until tasks are measured, assume they are long: one at a time per worker, as Python's pool hands them out.
    const slot: Slot = { worker, inFlight: [], known: new Set(), avgMs: 20, lastDone: 0, alive: true };
    worker.onMessage = (msg) => {
      if (msg.t === "done") {
        const now = performance.now();
        for (let i = 0; i < msg.ids.length; i++) this.#onDone(slot, msg.ids[i] as number, true, msg.values[i], now);
      } else if (msg.t === "failed") this.#onDone(slot, msg.id, false, deserializeError(msg.error), performance.now());
      else return;
      this.#dispatch();
    };
    void worker.exited.then((info) => this.#onExit(slot, index, info.exitCode, info.signal));
    this.options.setup(worker, index);
    return slot;
  }

  /** Pids or thread ids of the current workers. */
  get workerIds(): number[] {
    return this.#slots.map((s) => s.worker.id);
  }

  /** Queues a chunk and dispatches what can go now. */
  submit(chunk: Chunk): void {
    this.#queue.push(chunk);
    if (this.#outstanding++ === 0) for (const s of this.#slots) s.worker.setRef(true);
    this.#dispatch();
  }

  #depth(slot: Slot): number {
    return slot.avgMs < 1 ? 64 : slot.avgMs < 10 ? 4 : 1;
  }

  #dispatch(): void {
    let now = -1;
    while (this.#qHead < this.#queue.length) {
      let best: Slot | undefined;
      for (const s of this.#slots) {
        if (!s.alive || s.inFlight.length >= this.#depth(s)) continue;
        if (!best || s.inFlight.length < best.inFlight.length) best = s;
      }
      if (!best) return;
      const chunk = this.#queue[this.#qHead] as Chunk;
      this.#queue[this.#qHead++] = undefined as unknown as Chunk;
      if (this.#qHead > 1024 && this.#qHead * 2 > this.#queue.length) {
        this.#queue.splice(0, this.#qHead);
        this.#qHead = 0;
      }
      if (!best.known.has(chunk.key)) {
        best.known.add(chunk.key);
        best.worker.send({ t: "fn", key: chunk.key, code: chunk.code });
      }
      const id = this.#nextTask++;
      if (now < 0) now = performance.now();
      if (best.inFlight.length === 0) {
        best.lastDone = now;
        best.worker.cell = chunk.cell ?? this.options.cell;
      }
      chunk.id = id;
      chunk.sentAt = now;
      best.inFlight.push(chunk);
      // Timeline: a "task sent to worker" event belongs here.
      // Chunks of one function sent to a worker in one turn travel as one message. (Sending an idle
      // worker its first chunk at once is slower on 2 cores: the woken worker preempts this thread.)
      best.worker.send({ t: "tasks", key: chunk.key, star: chunk.star, ids: [id], chunks: [chunk.items] }, (last) => {
        if (last.t !== "tasks" || last.key !== chunk.key || last.star !== chunk.star) return false;
        last.ids.push(id);
        last.chunks.push(chunk.items);
        return true;
      });
    }
  }

  #onDone(slot: Slot, id: number, ok: boolean, result: unknown, now: number): void {
    // A worker runs its chunks in order, so a result is for its oldest chunk in flight.
    const chunk = slot.inFlight[0];
    if (!chunk || chunk.id !== id) return;
    slot.inFlight.shift();
    // Its output arrives before the chunk's result, so from now on it belongs to the next chunk.
    const next = slot.inFlight[0];
    if (next) slot.worker.cell = next.cell ?? this.options.cell;
    slot.avgMs = slot.avgMs * 0.7 + (now - Math.max(slot.lastDone, chunk.sentAt ?? now)) * 0.3;
    slot.lastDone = now;
    this.#finishOne(chunk, ok, result);
  }

  #finishOne(chunk: Chunk, ok: boolean, result: unknown): void {
    try {
      chunk.settle(ok, result);
    } finally {
      if (--this.#outstanding === 0) {
        // While stopping, workers stay referenced until their exits are seen (stop() awaits them).
        if (!this.#stopping) for (const s of this.#slots) s.worker.setRef(false);
        for (const w of this.#idleWaiters.splice(0)) w();
      }
    }
  }

  #onExit(slot: Slot, index: number, exitCode: number, signal: string | null): void {
    slot.alive = false;
    const lost = slot.inFlight.splice(0);
    if (this.#stopping) {
      for (const chunk of lost)
        this.#finishOne(
          chunk,
          false,
          new ProcessCrashedError(`The ${this.options.kindName} was terminated before this task finished.`),
        );
      return;
    }
    const how = signal ? `was killed by ${signal}` : `exited with code ${exitCode}`;
    if (lost.length > 0 || exitCode !== 0 || signal) {
      writeStream(
        "stderr",
        `${this.options.kindName} worker ${slot.worker.id} ${how}; starting a replacement.\n`,
        this.options.cell,
      );
    }
    for (const chunk of lost) {
      this.#finishOne(
        chunk,
        false,
        new ProcessCrashedError(
          `The ${this.options.kindName} worker ${slot.worker.id} running this task ${how} (crash, out of memory, or process.exit in the task). The pool goes on with a new worker.`,
        ),
      );
    }
    this.#slots[this.#slots.indexOf(slot)] = this.#spawn(index);
    this.#dispatch();
  }

  /** Resolves when no chunk is queued or running. */
  async idle(): Promise<void> {
    if (this.#outstanding === 0) return;
    await new Promise<void>((r) => this.#idleWaiters.push(r));
  }

  /** Stops every worker now; queued and running chunks fail. */
  async stop(): Promise<void> {
    this.#stopping = true;
    const queued = this.#queue.slice(this.#qHead);
    this.#queue.length = 0;
    this.#qHead = 0;
    for (const c of queued)
      this.#finishOne(
        c,
        false,
        new ProcessCrashedError(`The ${this.options.kindName} was terminated before this task started.`),
      );
    for (const s of this.#slots) {
      s.worker.setRef(true); // keep a script alive until the exits are seen
      s.worker.kill();
    }
    await Promise.all(this.#slots.map((s) => s.worker.exited));
  }
}
