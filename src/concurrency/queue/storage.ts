/**
 * The byte layout of a queue in one SharedArrayBuffer: a header of counters
 * and futex words, then a data region holding the items as length-prefixed
 * records. Three orders over the same region: FIFO (a ring), LIFO (a stack)
 * and priority (a sorted run, compacted when it reaches the end). Every
 * function here runs with the queue's internal mutex held.
 */
import { compareBytes, JSON_FORMAT, type EncodedItem } from "./codec";

/** Indexes into the header's Int32Array. */
export const H = {
  MUTEX: 0,
  COUNT: 1,
  HEAD: 2,
  TAIL: 3,
  UNFINISHED: 4,
  NOT_EMPTY: 5,
  NOT_FULL: 6,
  ALL_DONE: 7,
  MAXSIZE: 8,
  CAPACITY: 9,
  KIND: 10,
  SEQ: 11,
  GETTERS: 12,
  PUTTERS: 13,
  JOINERS: 14,
  MUTEX_ID: 15,
} as const;

/** The header's words, each always present (the header has a fixed size), so indexing it by `H` needs no check. */
type Header = Int32Array & Record<(typeof H)[keyof typeof H], number>;

/** Bytes before the data region. */
export const HEADER_BYTES = 64;

/** Queue orders. */
export const Order = { FIFO: 0, LIFO: 1, PRIORITY: 2 } as const;
/** One of the `Order` values. */
export type Order = (typeof Order)[keyof typeof Order];

const WRAP = 0xffffffff;
const pad4 = (n: number) => (n + 3) & ~3;

/** Views over one queue buffer. */
export class QueueMemory {
  readonly h: Header;
  readonly data: Buffer;
  readonly view: DataView;
  readonly capacity: number;

  /** Wraps a queue buffer (made by `QueueMemory.create` on any thread). */
  constructor(readonly buffer: SharedArrayBuffer) {
    this.h = new Int32Array(buffer, 0, HEADER_BYTES / 4) as Header;
    this.data = Buffer.from(buffer, HEADER_BYTES);
    this.view = new DataView(buffer, HEADER_BYTES);
    this.capacity = this.data.length;
  }

  /** A fresh buffer for a queue of `order` with `maxsize` items (≤ 0: unbounded) and `bytes` of room. */
  static create(order: Order, maxsize: number, bytes: number): QueueMemory {
    const mem = new QueueMemory(new SharedArrayBuffer(HEADER_BYTES + pad4(bytes)));
    mem.h[H.KIND] = order;
    mem.h[H.MAXSIZE] = maxsize;
    mem.h[H.CAPACITY] = mem.capacity;
    return mem;
  }

  /** Stores `item` (with `key` for a priority queue); false when there is no room for its bytes now. */
  push(item: EncodedItem, key: Uint8Array | undefined): boolean {
    switch (this.h[H.KIND] as Order) {
      case Order.FIFO:
        return this.#pushRing(item);
      case Order.LIFO:
        return this.#pushStack(item);
      default:
        return this.#pushSorted(item, key ?? new Uint8Array(0));
    }
  }

  /** Removes the next item: its JSON text, or a copy of its V8 bytes (decode it after releasing the lock). */
  pop(): string | Buffer {
    switch (this.h[H.KIND] as Order) {
      case Order.FIFO:
        return this.#popRing();
      case Order.LIFO:
        return this.#popStack();
      default:
        return this.#popSorted();
    }
  }

  /** The most bytes one item may take (so a single item can ever fit). */
  maxItemBytes(): number {
    return this.capacity - 16;
  }

  #write(item: EncodedItem, at: number): void {
    this.data[at] = item.format;
    if (item.format === JSON_FORMAT) this.data.write(item.text, at + 1, item.bytes - 1, "utf8");
    else this.data.set(item.data, at + 1);
  }

  #pushRing(item: EncodedItem): boolean {
    const h = this.h;
    const need = 4 + pad4(item.bytes);
    if (h[H.COUNT] === 0) h[H.HEAD] = h[H.TAIL] = 0;
    const head = h[H.HEAD];
    let tail = h[H.TAIL];
    if (h[H.COUNT] === 0 || tail > head) {
      if (tail + need > this.capacity) {
        if (need > head) return false;
        this.view.setUint32(tail, WRAP, true);
        tail = 0;
      }
    } else if (tail + need > head) {
      return false;
    }
    this.view.setUint32(tail, item.bytes, true);
    this.#write(item, tail + 4);
    tail += need;
    h[H.TAIL] = tail === this.capacity ? 0 : tail;
    return true;
  }

  /** The stored item at `at` (format byte first, `len` bytes): JSON as a string, V8 bytes copied. */
  #take(at: number, len: number): string | Buffer {
    if (this.data[at] === JSON_FORMAT) return this.data.toString("utf8", at + 1, at + len);
    return Buffer.from(this.data.subarray(at + 1, at + len));
  }

  #popRing(): string | Buffer {
    const h = this.h;
    let at = h[H.HEAD];
    let len = this.view.getUint32(at, true);
    if (len === WRAP) {
      at = 0;
      len = this.view.getUint32(0, true);
    }
    const out = this.#take(at + 4, len);
    const next = at + 4 + pad4(len);
    h[H.HEAD] = next === this.capacity ? 0 : next;
    return out;
  }

  #pushStack(item: EncodedItem): boolean {
    const top = this.h[H.TAIL];
    const size = pad4(item.bytes);
    if (top + size + 4 > this.capacity) return false;
    this.#write(item, top);
    this.view.setUint32(top + size, item.bytes, true);
    this.h[H.TAIL] = top + size + 4;
    return true;
  }

  #popStack(): string | Buffer {
    const top = this.h[H.TAIL];
    const len = this.view.getUint32(top - 4, true);
    const at = top - 4 - pad4(len);
    this.h[H.TAIL] = at;
    return this.#take(at, len);
  }

  // Sorted records: [u32 item bytes][u32 key bytes][key][item], padded; ascending by key, ties in arrival order.
  #pushSorted(item: EncodedItem, key: Uint8Array): boolean {
    const h = this.h;
    const need = 8 + pad4(key.length + item.bytes);
    if (h[H.TAIL] + need > this.capacity) {
      if (h[H.TAIL] - h[H.HEAD] + need > this.capacity) return false;
      this.data.copyWithin(0, h[H.HEAD], h[H.TAIL]);
      h[H.TAIL] -= h[H.HEAD];
      h[H.HEAD] = 0;
    }
    let at = h[H.HEAD];
    const tail = h[H.TAIL];
    while (at < tail) {
      const len = this.view.getUint32(at, true);
      const keyLen = this.view.getUint32(at + 4, true);
      if (compareBytes(this.data, at + 8, keyLen, key, 0, key.length) > 0) break;
      at += 8 + pad4(keyLen + len);
    }
    this.data.copyWithin(at + need, at, tail);
    this.view.setUint32(at, item.bytes, true);
    this.view.setUint32(at + 4, key.length, true);
    this.data.set(key, at + 8);
    this.#write(item, at + 8 + key.length);
    h[H.TAIL] = tail + need;
    return true;
  }

  #popSorted(): string | Buffer {
    const h = this.h;
    const at = h[H.HEAD];
    const len = this.view.getUint32(at, true);
    const keyLen = this.view.getUint32(at + 4, true);
    const start = at + 8 + keyLen;
    const out = this.#take(start, len);
    h[H.HEAD] = at + 8 + pad4(keyLen + len);
    if (h[H.HEAD] === h[H.TAIL]) h[H.HEAD] = h[H.TAIL] = 0;
    return out;
  }
}
