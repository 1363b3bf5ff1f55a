/**
 * `spindle/timing`: measure and show what concurrent code really does.
 * - `time(fn)` — wall and CPU time of one run, and their ratio.
 * - `timeit(fn, { repeat, number })` — IPython-style repeated timing.
 * - `compare({ a: fn, b: fn })` — a table and bar chart of variants.
 * - `timeline(fn)` — a Gantt chart of Spindle's threads, processes, tasks,
 *   locks, queues and sleeps while `fn` runs; `track(name, fn)` adds a lane.
 * All durations are in seconds.
 */
export { time, TimeResult } from "./time";
export { timeit, TimeitResult, type TimeitOptions } from "./timeit";
export { compare, CompareResult, median, type CompareOptions, type CompareRow } from "./compare";
export { timeline, track, waiting, Timeline, type TimelineOptions } from "./timeline";
export { timelines, TimelineGroup } from "./timeline-group";
export {
  VEGA_LITE_MIME,
  VegaLiteChart,
  timelineVegaLite,
  compareVegaLite,
  type VegaLiteSpec,
  type CompareDatum,
} from "./vega-lite";
export { mark, isRecording } from "../recorder/record";
export { overlapSeconds, totalLength, type Interval, type Marker, type TimelineLane } from "./timeline-model";
export { parseMagics, MagicError, type MagicPlan, type CellMagic, type LineMagic } from "./magics";
export { runCellMagic, lineMagic, type LineTimeitOptions } from "./magic-runner";
export { progress, withProgress, setProgressEnabled, ProgressBar, type ProgressOptions } from "../display/progress";
