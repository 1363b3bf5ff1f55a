/**
 * Message batching for a channel to or from a child: messages sent in the same
 * turn of the event loop leave as one IPC message (one write, one wake-up on
 * the other side). A pool sending 64 tasks ahead, or a child putting 1,000
 * items in a loop, pays the channel's fixed cost once instead of per message.
 */

const MAX_BATCH = 256;

/** A batch of messages travelling as one. */
export interface Batch<M> {
  t: "batch";
  m: M[];
}

/** Buffers messages and flushes them once per event-loop turn (or at once when urgent). */
export class Outbox<M> {
  #buf: M[] = [];
  /** Messages folded into queued ones: they count toward the batch size as if sent alone. */
  #folded = 0;
  #scheduled = false;

  /** `write` sends one message or a batch; it must not throw for a closed channel. */
  constructor(readonly write: (msg: M | Batch<M>, flushed?: () => void) => void) {}

  /**
   * Offers `msg` to the message queued last (if any, and not yet sent): `fold` returns true when it
   * took `msg` in (e.g. one more item of a run of puts), so a run of like messages costs one on the wire.
   * Returns false when the caller must push `msg` itself. Folds count toward the batch size, so no
   * message ever takes in more than MAX_BATCH others: callers need no cap of their own.
   */
  fold(fold: (last: M) => boolean): boolean {
    const last = this.#buf[this.#buf.length - 1];
    if (last === undefined || !fold(last)) return false;
    // A producer putting in a loop must still send as it goes, so the consumer can start.
    if (++this.#folded + this.#buf.length >= MAX_BATCH) this.flush();
    return true;
  }

  /** Queues `msg`; `urgent` flushes now (output, so it is seen before a long synchronous loop). */
  push(msg: M, urgent = false): void {
    this.#buf.push(msg);
    // Node's IPC reassembles a large message by concatenating its chunks again and again (quadratic):
    // 20,000 messages in one batch take ~0.8 s to arrive, 80 batches of 256 a few ms.
    if (urgent || this.#buf.length + this.#folded >= MAX_BATCH) this.flush();
    else if (!this.#scheduled) {
      this.#scheduled = true;
      setImmediate(() => this.flush());
    }
  }

  /** Sends everything buffered now; `flushed` runs once it has been handed to the channel. */
  flush(flushed?: () => void): void {
    this.#scheduled = false;
    this.#folded = 0;
    const buf = this.#buf;
    if (buf.length === 0) {
      flushed?.();
      return;
    }
    this.#buf = [];
    this.write(buf.length === 1 ? (buf[0] as M) : { t: "batch", m: buf }, flushed);
  }
}

/** Calls `each` for every message in `msg`, unwrapping a batch. */
export function unbatch<M>(msg: M | Batch<M>, each: (m: M) => void): void {
  if ((msg as Batch<M>).t === "batch") for (const m of (msg as Batch<M>).m) each(m);
  else each(msg as M);
}
