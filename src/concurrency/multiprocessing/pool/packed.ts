/**
 * Chunks of plain numbers (map over a range, numeric results) travel as a
 * Float64Array: the IPC serializer copies its bytes instead of tagging every
 * element, several times faster each way for a chunk of a thousand. Every JS
 * number, -0 and NaN included, round-trips exactly; the far side indexes it
 * like the array it was.
 */

/** Below this many items the check costs more than it saves. */
const MIN_PACKED = 32;

/** `values` as a Float64Array when it holds only numbers (and enough of them), else unchanged. */
export function packNumbers(values: unknown[]): ArrayLike<unknown> {
  if (values.length < MIN_PACKED) return values;
  for (let i = 0; i < values.length; i++) if (typeof values[i] !== "number") return values;
  return Float64Array.from(values as number[]);
}
