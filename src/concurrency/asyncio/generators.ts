/**
 * Generator coroutines: the idea asyncio grew from. A generator function
 * suspends at each `yield` and resumes where it left off; `runGenerators`
 * switches between several of them round-robin.
 *
 * What it shows: switching alone saves no waiting time. A generator that
 * yields and then blocks (`blockingSleep`) still holds the thread while it
 * blocks, so the total is the sum of all the waits. Only when a generator
 * yields a *promise* (`yield sleep(1)`) — "wake me when this is done" — can
 * the scheduler run the others meanwhile, and the waits overlap.
 */
import { checkSeconds, scaledMs } from "../time/scale";

/** A generator `runGenerators` can drive; it may yield nothing (switch) or a promise (wait for it). */
export type GeneratorCoroutine<R = unknown> = Generator<unknown, R, unknown>;

/** One step the scheduler took, for printing or drawing a timeline. */
export interface SwitchRecord {
  /** Index of the generator in the argument list. */
  index: number;
  /** Milliseconds since `runGenerators` started, when this step began. */
  at: number;
  /** How long the step ran before it yielded or returned (ms). */
  ran: number;
}

/** Options of `runGenerators`. */
export interface RunGeneratorsOptions {
  /** Called after each step (a generator ran until its next `yield` or its end). */
  onStep?: (step: SwitchRecord) => void;
}

/**
 * Runs the generators round-robin until all have returned; resolves to their
 * return values in argument order. A bare `yield` switches to the next one;
 * `yield promise` parks the generator until the promise settles and sends
 * its value back (or throws its error in), while the others keep running.
 */
export async function runGenerators<R>(
  generators: Iterable<GeneratorCoroutine<R>>,
  options: RunGeneratorsOptions = {},
): Promise<R[]> {
  const gens = [...generators];
  const results = new Array<R>(gens.length);
  const start = performance.now();
  type Resume = { index: number; value?: unknown; error?: unknown; failed: boolean };
  const ready: Resume[] = gens.map((_, index) => ({ index, failed: false }));
  let parked = 0;
  let wake: (() => void) | undefined;

  while (ready.length > 0 || parked > 0) {
    if (ready.length === 0) {
      await new Promise<void>((resolve) => {
        wake = resolve;
      });
      continue;
    }
    const step = ready.shift() as Resume;
    const gen = gens[step.index]!;
    const at = performance.now();
    const next = step.failed ? gen.throw(step.error) : gen.next(step.value);
    options.onStep?.({ index: step.index, at: at - start, ran: performance.now() - at });
    if (next.done) {
      results[step.index] = next.value;
    } else if (isThenable(next.value)) {
      parked++;
      next.value.then(
        (value) => {
          parked--;
          ready.push({ index: step.index, value, failed: false });
          wake?.();
        },
        (error: unknown) => {
          parked--;
          ready.push({ index: step.index, error, failed: true });
          wake?.();
        },
      );
    } else {
      ready.push({ index: step.index, value: next.value, failed: false });
    }
  }
  return results;
}

/**
 * Blocks the whole thread for `seconds` (scaled by SPINDLE_TIME_SCALE), like
 * Python's `time.sleep` called inside a coroutine: nothing else on this
 * thread runs meanwhile. For demonstrating why blocking calls defeat coroutines.
 */
export function blockingSleep(seconds: number): void {
  checkSeconds(seconds, "blockingSleep(seconds)");
  const ms = scaledMs(seconds);
  if (ms > 0) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    (typeof value === "object" || typeof value === "function") &&
    value !== null &&
    typeof (value as { then?: unknown }).then === "function"
  );
}
