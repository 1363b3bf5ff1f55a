/**
 * `spindle/multiprocessing`: Python's multiprocessing on real child processes.
 * Durations are in seconds (scaled by SPINDLE_TIME_SCALE); anything that
 * blocks in Python returns a Promise here.
 */
export {
  Process,
  currentProcess,
  parentProcess,
  getpid,
  getppid,
  type ProcessOptions,
  type ProcessInfo,
} from "./process";
export { cpuCount } from "../../runtime/resources";
export { Queue, SimpleQueue, JoinableQueue } from "./queue";
export { Pipe, Connection } from "./pipe";
export { Event } from "./event";
export { Lock, Semaphore, type AcquireOptions } from "./sync/lock";
export { BrokerLock } from "./sync/broker-lock";
export { Manager } from "./manager";
export { Value, SharedArray, SharedArray as Array, ListProxy, DictProxy } from "./shared-data";
export { Pool, ThreadPool, defaultChunksize, type PoolOptions, type ResultCallbacks } from "./pool/pool";
export { AsyncResult } from "./pool/async-result";
export { warmUp, spareCount, livePids as activeChildPids } from "./spawn/spares";
export { Empty, Full, EOFError, ProcessCrashedError, TimeoutError, ProcessStateError } from "./errors";
export { ShippingError } from "../shipping";
export type { WaitOptions } from "./sync/args";
