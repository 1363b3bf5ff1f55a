/**
 * `LifoQueue` and `PriorityQueue`, and how any queue is rebuilt when it
 * reaches another thread.
 */
import { registerRefKind } from "../shipping";
import { localObject } from "../shared/identity";
import { priorityKey } from "./codec";
import { H, Order } from "./storage";
import { Queue, QUEUE_KIND, type QueueData } from "./queue";

/** A last-in, first-out queue (a stack). */
export class LifoQueue<T = unknown> extends Queue<T> {
  /** @internal */
  protected override get order(): Order {
    return Order.LIFO;
  }
}

/**
 * A queue that hands out the smallest item first. Items compare as in Python: numbers by value, strings
 * by character, arrays (tuples) element by element — e.g. `[priority, task]`. Equal keys keep arrival order.
 */
export class PriorityQueue<T = unknown> extends Queue<T> {
  /** @internal */
  protected override get order(): Order {
    return Order.PRIORITY;
  }

  /** @internal */
  protected override keyOf(item: T): Uint8Array {
    return priorityKey(item);
  }
}

registerRefKind(QUEUE_KIND, (data: QueueData) =>
  localObject(QUEUE_KIND, data.id, () => {
    const order = new Int32Array(data.buffer, 0, 16)[H.KIND] as Order;
    const cls = order === Order.LIFO ? LifoQueue : order === Order.PRIORITY ? PriorityQueue : Queue;
    return new cls(0, {}, data);
  }),
);
