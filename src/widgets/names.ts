/** Widget state keys travel in snake_case (as ipywidgets names them); the TypeScript API uses camelCase. */

/** `continuous_update` → `continuousUpdate`. */
export function toCamel(wire: string): string {
  return wire.replace(/_([a-z0-9])/g, (_m, c: string) => c.toUpperCase());
}

/** `continuousUpdate` → `continuous_update` (snake_case names pass unchanged). */
export function toWire(name: string): string {
  return name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

/** Structural equality of JSON-like state values (arrays and plain objects compared by content). */
export function sameValue(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b) || !isPlain(a) || !isPlain(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  return ka.every((k) => sameValue((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

function isPlain(value: object): boolean {
  return (
    Array.isArray(value) || Object.getPrototypeOf(value) === Object.prototype || Object.getPrototypeOf(value) === null
  );
}
