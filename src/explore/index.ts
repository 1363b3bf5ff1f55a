/**
 * `spindle/explore`: deterministic exploration of thread schedules. `explore(fn)` finds races and deadlocks
 * on demand and `replay(fn, seed)` runs a failing interleaving again; see docs/explore.md.
 */
export {
  explore,
  replay,
  ExploreResult,
  ExploreError,
  DeadlockError,
  type ExploreOptions,
  type ExploreFailure,
} from "./explore";
export { ScheduleAborted } from "../concurrency/shared/schedule";
