/**
 * The link from a child (process or pool thread) to the parent that owns every
 * shared object. Set once by the child runtime; undefined in the owning process.
 */
import type { SerializedError } from "../../errors";

/** How a child reaches shared objects that live in its parent. */
export interface HubLink {
  /** Runs `op` on object `obj` in the parent and resolves with its (encoded) answer. */
  call(obj: string, op: string, args: unknown[]): Promise<unknown>;
  /**
   * Runs `op` on `obj` in the parent without waiting for an answer (order is kept). With `join`, a
   * cast of the same op on the same object queued just before (and not yet sent) may take this one
   * in: `join(earlierArgs, args)` returns true when it did.
   */
  cast(obj: string, op: string, args: unknown[], join?: CastJoin): void;
  /** Creates an object of `kind` in the parent under the id `obj` (order is kept). */
  create(obj: string, kind: string, args: unknown[]): void;
}

/** Merges a cast's arguments into an earlier, still unsent cast of the same op; false if it cannot. */
export type CastJoin = (earlier: unknown[], args: unknown[]) => boolean;

/** Who this child is, as its parent told it. */
export interface ChildIdentity {
  name: string;
  /** "process" for a child process, "thread" for a pool worker thread. */
  kind: "process" | "thread";
  parentPid: number;
}

let link: HubLink | undefined;
let identity: ChildIdentity | undefined;

/** Installs the link (child runtime only). */
export function setHubLink(value: HubLink, who: ChildIdentity): void {
  link = value;
  identity = who;
}

/** The link to the parent, or undefined in the process that owns the objects. */
export function hubLink(): HubLink | undefined {
  return link;
}

/** Who this child is, or undefined in the main process. */
export function childIdentity(): ChildIdentity | undefined {
  return identity;
}

/** Renames this child (a Process subclass may set its name in its constructor). */
export function renameChild(name: string): void {
  if (identity) identity.name = name;
}

/** The error type carried by replies, re-exported for the child runtime. */
export type { SerializedError };
