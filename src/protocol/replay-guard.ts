/**
 * Remembers the signatures of accepted messages so a captured message sent
 * again is rejected. Memory is bounded: the oldest signatures are forgotten first.
 */

/** A bounded set of seen signatures. */
export class ReplayGuard {
  readonly #seen = new Set<string>();

  /** Keeps at most `capacity` signatures (ipykernel keeps 2^16). */
  constructor(readonly capacity = 65536) {}

  /** Records `signature`; returns false when it was seen before (a replay). */
  accept(signature: string): boolean {
    if (this.#seen.has(signature)) return false;
    this.#seen.add(signature);
    if (this.#seen.size > this.capacity) {
      // A Set iterates in insertion order, so the first value is the oldest.
      const oldest = this.#seen.values().next().value as string;
      this.#seen.delete(oldest);
    }
    return true;
  }

  /** How many signatures are remembered now. */
  get size(): number {
    return this.#seen.size;
  }
}
