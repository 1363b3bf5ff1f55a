/**
 * The one way tests wait: every wait is bounded, and a wait that runs out
 * fails with what it waited for. Arguments always come in the same order:
 * what to wait on, the limit in milliseconds, what it is (for the message).
 */

/** Resolves as `work` does, or rejects if it does not settle within `ms` milliseconds. */
export async function within<T>(work: PromiseLike<T>, ms = 5000, what = "the awaited work"): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms: ${what} did not settle`)), ms);
  });
  try {
    return await Promise.race([Promise.resolve(work), limit]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Polls `probe` every `everyMs` until it gives a value other than undefined, null or false, and
 * resolves with that value; rejects after `ms` milliseconds. `what` may be a function, to describe
 * the state at the moment of failure.
 */
export async function until<T>(
  probe: () => T | undefined | null | false | PromiseLike<T | undefined | null | false>,
  ms: number,
  what: string | (() => string),
  everyMs = 10,
): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== null && value !== false) return value;
    if (Date.now() > end)
      throw new Error(`timed out after ${ms} ms waiting for ${typeof what === "function" ? what() : what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/** Polls `condition` until it holds or `ms` milliseconds pass; resolves with whether it held (for assert.ok with a message). */
export async function eventually(condition: () => boolean, ms: number, everyMs = 20): Promise<boolean> {
  return until(() => condition(), ms, "", everyMs).then(
    () => true,
    () => condition(),
  );
}
