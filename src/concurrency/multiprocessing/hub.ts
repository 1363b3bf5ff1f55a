/**
 * The owner side of shared objects. Every Queue, Pipe, Event, Manager list…
 * lives here, in the process that created Spindle's first object (the executor
 * in a kernel, the main process of a script). Children reach it through their
 * IPC channel; the owner calls objects directly.
 */
import { SpindleError, serializeError } from "../../errors";
import { ProcessStateError } from "./errors";
import { hubLink } from "./link";
import type { ToChild, ToParent } from "./messages";

/** Who asked: 0 for the owning process itself, otherwise a child's caller id. */
export type Caller = number;

/** The caller id of the owning process. */
export const LOCAL: Caller = 0;

/** A shared object as the hub sees it. */
export interface HubObject {
  /** Runs operation `op`; may return a promise (a blocking get, a wait). */
  dispatch(op: string, args: unknown[], caller: Caller): unknown;
  /** Forgets anything `caller` waits for (it exited), so it steals no item. */
  dropCaller?(caller: Caller): void;
  /** Called when the object is removed (manager shutdown): reject every waiter. */
  dispose?(): void;
}

const objects = new Map<string, HubObject>();
const factories = new Map<string, (args: unknown[]) => HubObject>();
let nextId = 1;
let nextCaller = 1;

/** Registers a factory so children can create objects of `kind` here. */
export function registerFactory(kind: string, make: (args: unknown[]) => HubObject): void {
  factories.set(kind, make);
}

/** Adds an object and returns its id. */
export function addObject(obj: HubObject, id = `o${nextId++}`): string {
  objects.set(id, obj);
  return id;
}

/** Removes an object (its later use fails with a clear error). */
export function removeObject(id: string): void {
  const obj = objects.get(id);
  objects.delete(id);
  obj?.dispose?.();
}

/** The object with `id`, or a clear error if it is gone. */
export function getObject(id: string): HubObject {
  const obj = objects.get(id);
  if (!obj) {
    throw new ProcessStateError(
      `The shared object ${id} no longer exists (its Manager was shut down, or it was created in a process that has ended).`,
      "ERR_SPINDLE_OBJECT_GONE",
    );
  }
  return obj;
}

/** Creates an object of `kind` under `id` (a child asked). */
export function createObject(id: string, kind: string, args: unknown[]): void {
  const make = factories.get(kind);
  if (!make) throw new SpindleError(`Unknown shared object kind "${kind}".`, "ERR_SPINDLE_UNKNOWN_KIND");
  objects.set(id, make(args));
}

/** A fresh caller id for a new child channel. */
export function newCaller(): Caller {
  return nextCaller++;
}

/** Forgets every wait of a child that has gone. */
export function dropCaller(caller: Caller): void {
  for (const obj of objects.values()) obj.dropCaller?.(caller);
}

type ObjectMessage = Extract<ToParent, { t: "call" | "cast" | "create" }>;

/** True for the messages `serveMessage` handles. */
export function isObjectMessage(msg: ToParent): msg is ObjectMessage {
  return msg.t === "call" || msg.t === "cast" || msg.t === "create";
}

/**
 * Serves one object message from a child. In a child that itself runs pool
 * threads, the objects live further up: relay through this child's own link.
 */
export function serveMessage(msg: ObjectMessage, caller: Caller, reply: (m: ToChild) => void): void {
  const up = hubLink();
  if (msg.t === "create") {
    if (up) up.create(msg.obj, msg.kind, msg.args);
    else createObject(msg.obj, msg.kind, msg.args);
    return;
  }
  if (msg.t === "cast") {
    if (up) {
      up.cast(msg.obj, msg.op, msg.args);
      return;
    }
    try {
      const r = getObject(msg.obj).dispatch(msg.op, msg.args, caller);
      if (r instanceof Promise) r.catch(() => undefined);
    } catch {
      // A cast has nobody to tell; the next call on the object reports the problem.
    }
    return;
  }
  const id = msg.id;
  let result: Promise<unknown>;
  try {
    result = up
      ? up.call(msg.obj, msg.op, msg.args)
      : Promise.resolve(getObject(msg.obj).dispatch(msg.op, msg.args, caller));
  } catch (err) {
    result = Promise.reject(err);
  }
  result.then(
    (value) => reply({ t: "reply", id, ok: true, value }),
    (err: unknown) => reply({ t: "reply", id, ok: false, error: serializeError(err) }),
  );
}
