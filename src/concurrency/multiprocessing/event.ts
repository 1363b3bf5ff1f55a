/** A cross-process Event (Python's `multiprocessing.Event`): a flag processes can wait for. */
import { createBackend, backendFor, type Backend } from "./backend";
import { EventCore } from "./cores/event-core";
import { registerReviver, toHandle, type HandleData, type Shareable } from "./handles";
import { registerFactory } from "./hub";
import { checkSeconds } from "../time/scale";

registerFactory("Event", () => new EventCore());

/** A flag shared by processes. */
export class Event implements Shareable {
  readonly #b: Backend;

  /** Creates a cleared event (`backend` is internal: used when a handle arrives). */
  constructor(backend?: Backend) {
    this.#b = backend ?? createBackend("Event", [], () => new EventCore());
  }

  /** Sets the flag and wakes every waiter. */
  async set(): Promise<void> {
    await this.#b.call("set", []);
  }

  /** Clears the flag. */
  async clear(): Promise<void> {
    await this.#b.call("clear", []);
  }

  /** True when the flag is set. */
  async isSet(): Promise<boolean> {
    return (await this.#b.call("isSet", [])) as boolean;
  }

  /** Waits until the flag is set; resolves false if `timeout` seconds pass first. */
  async wait(timeout: number | null = null): Promise<boolean> {
    const t = timeout === null ? null : checkSeconds(timeout, "Event.wait timeout");
    return (await this.#b.call("wait", [t])) as boolean;
  }

  [toHandle](): HandleData {
    return { kind: "Event", id: this.#b.id };
  }
}

registerReviver("Event", (d) => new Event(backendFor(d.id as string)), Event, __filename);
