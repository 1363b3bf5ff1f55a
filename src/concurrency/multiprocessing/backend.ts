/**
 * The one way Spindle's shared-object classes talk to their state: a backend
 * that calls the hub object directly (in the owning process) or over the link
 * (in a child). Classes stay the same on both sides.
 */
import { threadId } from "node:worker_threads";
import { addObject, getObject, LOCAL, type HubObject } from "./hub";
import { hubLink, type CastJoin } from "./link";

/** A handle on one shared object. */
export interface Backend {
  /** The object's id in the hub. */
  readonly id: string;
  /** True in the process that owns the object. */
  readonly local: boolean;
  /** Runs `op` and resolves with its answer (still encoded). */
  call(op: string, args: unknown[]): Promise<unknown>;
  /** Runs `op` without waiting for the answer; `join` may merge it into the previous unsent cast (see HubLink). */
  cast(op: string, args: unknown[], join?: CastJoin): void;
}

let childSeq = 0;

class LocalBackend implements Backend {
  readonly local = true;
  constructor(readonly id: string) {}
  call(op: string, args: unknown[]): Promise<unknown> {
    try {
      return Promise.resolve(getObject(this.id).dispatch(op, args, LOCAL));
    } catch (err) {
      return Promise.reject(err);
    }
  }
  cast(op: string, args: unknown[]): void {
    const r = getObject(this.id).dispatch(op, args, LOCAL);
    if (r instanceof Promise) r.catch(() => undefined);
  }
}

class RemoteBackend implements Backend {
  readonly local = false;
  constructor(readonly id: string) {}
  call(op: string, args: unknown[]): Promise<unknown> {
    const link = hubLink();
    return link ? link.call(this.id, op, args) : new LocalBackend(this.id).call(op, args);
  }
  cast(op: string, args: unknown[], join?: CastJoin): void {
    const link = hubLink();
    if (link) link.cast(this.id, op, args, join);
    else new LocalBackend(this.id).cast(op, args);
  }
}

/** Creates a new shared object of `kind` (here, or in the parent when running in a child). */
export function createBackend(kind: string, args: unknown[], make: () => HubObject): Backend {
  const link = hubLink();
  if (!link) return new LocalBackend(addObject(make()));
  const id = `c${process.pid}.${threadId}.${++childSeq}`;
  link.create(id, kind, args);
  return new RemoteBackend(id);
}

/** The backend of an object that arrived as a handle with `id`. */
export function backendFor(id: string): Backend {
  return hubLink() ? new RemoteBackend(id) : new LocalBackend(id);
}

/** The hub object behind a local backend (for synchronous peeks such as inspect). */
export function localObject(backend: Backend): HubObject | undefined {
  if (!backend.local) return undefined;
  try {
    return getObject(backend.id);
  } catch {
    return undefined;
  }
}
