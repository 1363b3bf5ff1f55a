/**
 * How submissions are spread over the machine: a `Scheduler` runs one job
 * per item with at most `limit` at once. Each job drives a kernel in its own
 * processes, so the coordinator's share of the work is waiting.
 */

/** Runs `job` for every item, at most `limit` at a time; results keep the items' order. */
export type Scheduler = <T, R>(items: readonly T[], limit: number, job: (item: T, index: number) => Promise<R>) => Promise<R[]>;

/** A scheduler of bounded concurrent promises; a job that throws fails the batch after the others finish. */
export const boundedScheduler: Scheduler = async (items, limit, job) => {
  const results = new Array(items.length);
  let next = 0;
  let failure: { error: unknown } | undefined;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      try {
        results[i] = await job(items[i], i);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  if (failure) throw failure.error;
  return results;
};
