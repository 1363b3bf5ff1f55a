/**
 * Rebuilds code shipped by `ship.ts` (TEMPORARY, with it): requires the module
 * for exported functions and classes, evaluates source text otherwise.
 */
import { createRequire } from "node:module";
import { join } from "node:path";
import { ShippingError } from "./errors";
import type { ShippedCode } from "./ship";

const cache = new Map<string, unknown>();

/** A `require` that finds Spindle's own modules first, then the working directory's. */
function userRequire(id: string): unknown {
  try {
    return require(id);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "MODULE_NOT_FOUND") throw err;
    return createRequire(join(process.cwd(), "index.js"))(id);
  }
}

function evaluate(source: string, name: string): unknown {
  const attempts = [`return (${source});`, `return (function ${source});`, `return Object.values({ ${source} })[0];`];
  let firstError: unknown;
  for (const body of attempts) {
    let factory: (req: typeof userRequire) => unknown;
    try {
      factory = new Function("require", body) as typeof factory;
    } catch (err) {
      firstError ??= err;
      continue;
    }
    return factory(userRequire);
  }
  throw new ShippingError(`Could not rebuild ${name || "a function"} from its source in the child: ${(firstError as Error).message}`);
}

/** Rebuilds the function or class that `code` describes. */
export function loadCode(code: ShippedCode): unknown {
  const key = code.kind === "module" ? `m:${code.file}#${code.name}` : `s:${code.source}`;
  if (cache.has(key)) return cache.get(key);
  let value: unknown;
  if (code.kind === "module") {
    const mod = require(code.file) as Record<string, unknown>;
    value = code.name ? mod[code.name] : mod;
    if (value === undefined) throw new ShippingError(`${code.file} has no export "${code.name}" in the child process.`);
  } else {
    value = evaluate(code.source, code.name);
  }
  cache.set(key, value);
  return value;
}
