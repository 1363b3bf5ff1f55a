/**
 * Timers for cell code. A cell's `setTimeout` / `setInterval` / `setImmediate`
 * belong to the cell: interrupting it clears the ones still pending, so a
 * timer set before the interrupt cannot start a busy loop or print after it.
 * The cell wrapper passes these in place of the globals, so Spindle's own
 * timers are untouched.
 */
import { currentCell } from "../../runtime/cell-context";
import { registerGlobalStandIn } from "../../runtime/namespaces";

type Callback = (...args: unknown[]) => void;
type Done = () => void;

/** The timer functions cell code sees, by the names it uses. */
export interface CellTimers {
  setTimeout: typeof setTimeout;
  setInterval: typeof setInterval;
  setImmediate: typeof setImmediate;
  clearTimeout: typeof clearTimeout;
  clearInterval: typeof clearInterval;
  clearImmediate: typeof clearImmediate;
}

/** Names of the wrapper parameters, in the order of `timerArguments`. */
export const TIMER_NAMES = [
  "setTimeout",
  "setInterval",
  "setImmediate",
  "clearTimeout",
  "clearInterval",
  "clearImmediate",
] as const;

const untrackers = new WeakMap<object, () => void>();

function schedule<H extends object>(start: (done: Done) => H, stop: (h: H) => void, repeating: boolean): H {
  const cell = currentCell();
  let untrack: (() => void) | undefined;
  const handle = start(() => {
    if (!repeating) untrack?.();
  });
  if (cell) {
    const h = handle;
    untrack = cell.track({ interrupt: () => stop(h) });
    untrackers.set(h, untrack);
  }
  return handle;
}

function cancel<H>(stop: (h: H) => void): (h: H) => void {
  return (h: H) => {
    if (h !== null && typeof h === "object") {
      untrackers.get(h)?.();
      untrackers.delete(h);
    }
    stop(h);
  };
}

/** The timer functions a cell's code runs with. */
export function cellTimers(): CellTimers {
  const timers = makeTimers();
  for (const fn of Object.values(timers)) registerGlobalStandIn(fn);
  return timers;
}

function makeTimers(): CellTimers {
  return {
    setTimeout: ((fn: Callback, ms?: number, ...args: unknown[]) =>
      schedule(
        (done) =>
          setTimeout(() => {
            done();
            fn(...args);
          }, ms),
        (h) => clearTimeout(h),
        false,
      )) as unknown as typeof setTimeout,
    setInterval: ((fn: Callback, ms?: number, ...args: unknown[]) =>
      schedule(
        () => setInterval(() => fn(...args), ms),
        (h) => clearInterval(h),
        true,
      )) as unknown as typeof setInterval,
    setImmediate: ((fn: Callback, ...args: unknown[]) =>
      schedule(
        (done) =>
          setImmediate(() => {
            done();
            fn(...args);
          }),
        (h) => clearImmediate(h),
        false,
      )) as unknown as typeof setImmediate,
    clearTimeout: cancel(clearTimeout) as typeof clearTimeout,
    clearInterval: cancel(clearInterval) as typeof clearInterval,
    clearImmediate: cancel(clearImmediate) as typeof clearImmediate,
  };
}
