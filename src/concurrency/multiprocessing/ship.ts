/**
 * TEMPORARY internal adapter: turns a function or class into something a child
 * can rebuild, until the shared code-shipping mechanism
 * (`src/concurrency/shipping/`) lands; then this file delegates to it.
 *
 * Two forms, as Python's `spawn` start method does it:
 * - a function/class exported by a loaded module travels as (module file, export
 *   name) and the child `require`s that module;
 * - anything else travels as its source text (so it must not use variables
 *   from around it other than `require`).
 */
import { ShippingError } from "./errors";

/** Code in a form that survives structured clone. */
export type ShippedCode =
  | { kind: "module"; file: string; name: string }
  | { kind: "source"; source: string; name: string };

const cache = new WeakMap<object, ShippedCode>();

/** Finds `fn` among the exports of loaded modules. */
function findExport(fn: object): ShippedCode | undefined {
  for (const [file, mod] of Object.entries(require.cache)) {
    const exp = mod?.exports as unknown;
    if (exp === fn) return { kind: "module", file, name: "" };
    if (typeof exp !== "object" || exp === null) continue;
    for (const key of Object.keys(exp)) {
      let value: unknown;
      try {
        value = (exp as Record<string, unknown>)[key];
      } catch {
        continue;
      }
      if (value === fn) return { kind: "module", file, name: key };
    }
  }
  return undefined;
}

/** Describes `fn` (a function or class) so a child process or worker thread can rebuild it. */
export function shipCode(fn: unknown, what: string): ShippedCode {
  if (typeof fn !== "function") {
    throw new ShippingError(`${what} must be a function or class (got ${typeof fn}).`);
  }
  const hit = cache.get(fn);
  if (hit) return hit;
  const found = findExport(fn);
  let shipped: ShippedCode;
  if (found) {
    shipped = found;
  } else {
    const source = Function.prototype.toString.call(fn);
    if (source.includes("[native code]")) {
      throw new ShippingError(`${what} (${fn.name || "anonymous"}) is a built-in or bound function and cannot be sent to another process; wrap it in your own function.`);
    }
    shipped = { kind: "source", source, name: fn.name };
  }
  cache.set(fn, shipped);
  return shipped;
}
