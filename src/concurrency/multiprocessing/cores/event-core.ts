/** The state of a cross-process Event: a flag and the processes waiting for it. */
import { ProcessStateError } from "../errors";
import type { Caller, HubObject } from "../hub";
import { WaitList, timeoutArg } from "./waiters";

/** Hub state of one Event. */
export class EventCore implements HubObject {
  #flag = false;
  readonly #waiters = new WaitList<boolean>();

  dispatch(op: string, args: unknown[], caller: Caller): unknown {
    switch (op) {
      case "set":
        this.#flag = true;
        while (this.#waiters.size > 0) this.#waiters.shift()?.resolve(true);
        return undefined;
      case "clear":
        this.#flag = false;
        return undefined;
      case "isSet":
        return this.#flag;
      case "wait":
        if (this.#flag) return true;
        return this.#waiters.park(caller, timeoutArg(args[0]), (w) => w.resolve(false));
      default:
        throw new ProcessStateError(`Event has no operation "${op}".`, "ERR_SPINDLE_UNKNOWN_OP");
    }
  }

  dropCaller(caller: Caller): void {
    this.#waiters.dropCaller(caller);
  }

  dispose(): void {
    this.#waiters.rejectAll(
      new ProcessStateError("The Event was shut down with its Manager.", "ERR_SPINDLE_OBJECT_GONE"),
    );
  }
}
