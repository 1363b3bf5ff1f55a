/**
 * Shared numeric arrays and single values: typed arrays over a
 * SharedArrayBuffer. Handing one to a thread shares the memory (no copy);
 * `Atomics` works on the integer kinds.
 */
import { SpindleError } from "../../errors";
import { shared } from "./record";

const CONSTRUCTORS = {
  int8: Int8Array,
  uint8: Uint8Array,
  int16: Int16Array,
  uint16: Uint16Array,
  int32: Int32Array,
  uint32: Uint32Array,
  float32: Float32Array,
  float64: Float64Array,
} as const;

/** Element types of shared arrays (Python's typecodes: "i" → int32, "d" → float64). */
export type SharedArrayType = keyof typeof CONSTRUCTORS;

type ArrayOf<K extends SharedArrayType> = InstanceType<(typeof CONSTRUCTORS)[K]>;

/** Creates a shared typed array of `type` with `lengthOrValues` zeros or the given values. */
export function sharedArray<K extends SharedArrayType>(
  type: K,
  lengthOrValues: number | ArrayLike<number>,
): ArrayOf<K> {
  const ctor = CONSTRUCTORS[type];
  if (!ctor) {
    throw new SpindleError(
      `sharedArray: unknown type '${String(type)}'; use one of ${Object.keys(CONSTRUCTORS).join(", ")}.`,
      "ERR_SPINDLE_SHARED_ARRAY_TYPE",
    );
  }
  const length = typeof lengthOrValues === "number" ? lengthOrValues : lengthOrValues.length;
  if (!Number.isInteger(length) || length < 0) {
    throw new SpindleError(
      `sharedArray: length must be an integer ≥ 0 (got ${length}).`,
      "ERR_SPINDLE_SHARED_ARRAY_LENGTH",
    );
  }
  const array = new (ctor as unknown as new (buffer: SharedArrayBuffer) => ArrayOf<K>)(
    new SharedArrayBuffer(length * ctor.BYTES_PER_ELEMENT),
  );
  if (typeof lengthOrValues !== "number")
    (array as unknown as { set(values: ArrayLike<number>): void }).set(lengthOrValues);
  return array;
}

/** A single shared number: `{ value }` (Python's `Value`), as a shared record. */
export function sharedValue(initial = 0): { value: number } {
  return shared({ value: initial });
}
