/**
 * Running one pool chunk in a worker: its calls in order, each result encoded
 * for the trip back. A synchronous task function runs the whole chunk without
 * an await per item (a microtask hop each would cost more than a tiny task);
 * from the first promise a task returns, every later item is awaited as before.
 */
import { decode, encode } from "../multiprocessing/handles";

type Fn = (...args: unknown[]) => unknown;

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    value !== null &&
    (typeof value === "object" || typeof value === "function") &&
    typeof (value as { then?: unknown }).then === "function"
  );
}

function call(fn: Fn, item: unknown, star: boolean): unknown {
  return star ? fn(...(decode(item) as unknown[])) : fn(decode(item));
}

/** The encoded results of `fn` over `items`: an array when every call was synchronous, else a promise of it. */
export function runChunk(fn: Fn, items: ArrayLike<unknown>, star: boolean): unknown[] | Promise<unknown[]> {
  const values: unknown[] = new Array(items.length);
  for (let i = 0; i < items.length; i++) {
    const r = call(fn, items[i], star);
    if (isThenable(r)) return finishAsync(fn, items, star, values, i, r);
    values[i] = encode(r, "the task's result");
  }
  return values;
}

async function finishAsync(
  fn: Fn,
  items: ArrayLike<unknown>,
  star: boolean,
  values: unknown[],
  from: number,
  first: PromiseLike<unknown>,
): Promise<unknown[]> {
  values[from] = encode(await first, "the task's result");
  for (let i = from + 1; i < items.length; i++) values[i] = encode(await call(fn, items[i], star), "the task's result");
  return values;
}
