/**
 * The state of a Pipe: two one-way lanes (end 0 → end 1, end 1 → end 0) and
 * which ends are closed. A receiver gets everything sent before the other end
 * closed, then EOFError — Python's order.
 */
import { EOFError, ProcessStateError } from "../errors";
import type { Caller, HubObject } from "../hub";
import { WaitList, timeoutArg } from "./waiters";

interface Lane {
  items: unknown[];
  readers: WaitList<unknown>;
  pollers: WaitList<boolean>;
}

function closedHandle(end: number): ProcessStateError {
  return new ProcessStateError(
    `This end of the pipe (connection ${end + 1}) is closed; open a new Pipe() to keep talking.`,
    "ERR_SPINDLE_PIPE_CLOSED",
  );
}

/** Hub state of one pipe. */
export class PipeCore implements HubObject {
  /** lanes[e] holds what end e will receive. */
  readonly #lanes: [Lane, Lane] = [this.#lane(), this.#lane()];
  readonly #closed = [false, false];

  #lane(): Lane {
    return { items: [], readers: new WaitList<unknown>(), pollers: new WaitList<boolean>() };
  }

  dispatch(op: string, args: unknown[], caller: Caller): unknown {
    const end = args[0] === 1 ? 1 : 0;
    const other = end === 1 ? 0 : 1;
    if (this.#closed[end] && op !== "close") throw closedHandle(end);
    const lane = this.#lanes[end];
    switch (op) {
      case "send": {
        if (this.#closed[other]) return undefined; // Python raises BrokenPipeError only at OS level; data is dropped.
        const target = this.#lanes[other];
        const r = target.readers.shift();
        if (r) r.resolve(args[1]);
        else target.items.push(args[1]);
        while (target.pollers.size > 0) target.pollers.shift()?.resolve(true);
        return undefined;
      }
      case "recv": {
        if (lane.items.length > 0) return lane.items.shift();
        if (this.#closed[other]) throw new EOFError();
        return lane.readers.park(caller, undefined, () => undefined);
      }
      case "poll": {
        if (lane.items.length > 0 || this.#closed[other]) return true;
        const t = timeoutArg(args[1]) ?? 0;
        if (t === 0 && args[1] !== null) return false;
        return lane.pollers.park(caller, args[1] === null ? undefined : t, (w) => w.resolve(false));
      }
      case "close": {
        if (this.#closed[end]) return undefined;
        this.#closed[end] = true;
        const peer = this.#lanes[other];
        peer.readers.rejectAll(new EOFError());
        while (peer.pollers.size > 0) peer.pollers.shift()?.resolve(true);
        lane.readers.rejectAll(closedHandle(end));
        return undefined;
      }
      default:
        throw new ProcessStateError(`Connection has no operation "${op}".`, "ERR_SPINDLE_UNKNOWN_OP");
    }
  }

  dropCaller(caller: Caller): void {
    for (const lane of this.#lanes) {
      lane.readers.dropCaller(caller);
      lane.pollers.dropCaller(caller);
    }
  }
}
