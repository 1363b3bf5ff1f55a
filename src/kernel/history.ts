/**
 * The history of cells this kernel process executed (store_history only), for
 * history_request: tail, range and glob search. Sessions are numbered from 1;
 * a history entry is [session, line, input] or [session, line, [input, output]].
 */
import type { HistoryEntry, HistoryRequestContent } from "../protocol";

interface Entry {
  session: number;
  line: number;
  input: string;
  output: string | null;
  msgId: string;
}

/** Executed inputs (and their text/plain results) of this kernel. */
export class History {
  readonly #entries: Entry[] = [];
  readonly #byMsgId = new Map<string, Entry>();
  #session = 1;

  /** The current session number (a new one after `newSession`). */
  get session(): number {
    return this.#session;
  }

  /** Starts a new session (after a restart): line numbers start again from 1. */
  newSession(): void {
    this.#session++;
  }

  /** Records the input of an execute request, as line `line` of the current session. */
  record(msgId: string, line: number, input: string): void {
    const entry: Entry = { session: this.#session, line, input, output: null, msgId };
    this.#entries.push(entry);
    this.#byMsgId.set(msgId, entry);
  }

  /** Records the text/plain result of the cell whose request was `msgId`. */
  recordOutput(msgId: string, text: string): void {
    const entry = this.#byMsgId.get(msgId);
    if (entry) entry.output = text;
  }

  /** Answers a history_request. */
  query(req: HistoryRequestContent): HistoryEntry[] {
    const output = req.output ?? false;
    let found: Entry[];
    switch (req.hist_access_type) {
      case "tail":
        found = lastN(this.#entries, req.n);
        break;
      case "range":
        found = this.#range(req.session ?? 0, req.start ?? 1, req.stop);
        break;
      case "search":
        found = this.#search(req.pattern ?? "*", req.unique ?? false, req.n);
        break;
      default:
        found = [];
    }
    return found.map(
      (e): HistoryEntry => (output ? [e.session, e.line, [e.input, e.output]] : [e.session, e.line, e.input]),
    );
  }

  #range(session: number, start: number, stop: number | undefined): Entry[] {
    // 0 is the current session, negative numbers count back from it (as IPython does).
    const wanted = session <= 0 ? this.#session + session : session;
    return this.#entries.filter(
      (e) => e.session === wanted && e.line >= start && (stop === undefined || e.line < stop),
    );
  }

  #search(pattern: string, unique: boolean, n: number | undefined): Entry[] {
    const re = globToRegExp(pattern);
    let hits = this.#entries.filter((e) => re.test(e.input));
    if (unique) {
      const latest = new Map<string, Entry>();
      for (const e of hits) {
        latest.delete(e.input);
        latest.set(e.input, e);
      }
      hits = [...latest.values()];
    }
    return lastN(hits, n);
  }
}

function lastN<T>(items: T[], n: number | undefined): T[] {
  return n === undefined || n <= 0 ? items.slice() : items.slice(-n);
}

/** A glob (`*`, `?`, `[abc]`, as sqlite GLOB) matching a whole input. */
export function globToRegExp(glob: string): RegExp {
  let re = "";
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === "*") re += "[\\s\\S]*";
    else if (c === "?") re += "[\\s\\S]";
    else if (c === "[") {
      const end = glob.indexOf("]", i + 2);
      if (end < 0) {
        re += "\\[";
        continue;
      }
      // sqlite's [^…] negation is the same in a RegExp class; only backslashes need escaping.
      re += `[${glob.slice(i + 1, end).replace(/\\/g, "\\\\")}]`;
      i = end;
    } else re += c.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  }
  return new RegExp(`^${re}$`);
}
