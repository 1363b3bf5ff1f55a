/**
 * Draws one explored schedule with the existing timeline chart: a lane per thread, one step per
 * millisecond. The thread holding the token runs (solid); the others wait for their turn or are blocked
 * (hatched); each switch of the token is a "⇄" tick on the lane that gets it.
 */
import type { RawEvent } from "../recorder/buffer";
import { Timeline } from "../timing/timeline";
import { labelOf } from "../recorder/trace-bridge";
import { Op, Prim, type LoggedStep } from "../concurrency/shared/schedule";
import { recordFields } from "../concurrency/shared/record";
import { lockName } from "../concurrency/threading/deadlock";

/** Milliseconds of chart per step. */
export const STEP_MS = 1;

const PRIM_NAMES: Record<number, string> = {
  [Prim.Lock]: "Lock",
  [Prim.RLock]: "RLock",
  [Prim.Semaphore]: "Semaphore",
  [Prim.BoundedSemaphore]: "BoundedSemaphore",
  [Prim.Condition]: "Condition",
  [Prim.Event]: "Event",
  [Prim.Barrier]: "Barrier",
  [Prim.Queue]: "Queue",
};

/** What a step is about, as the chart shows it ("Lock-3" or the lock's variable name, "money", "join Thread-2"). */
export function labelOfStep(
  step: LoggedStep,
  laneNames: readonly string[],
  threadNames: ReadonlyMap<number, string>,
): string {
  if (step.label !== undefined) return step.label;
  switch (step.prim) {
    case Prim.Lock:
    case Prim.RLock: {
      const name = lockName(step.obj);
      return name.startsWith("lock #") ? labelOf(PRIM_NAMES[step.prim]!, step.obj) : name;
    }
    case Prim.Record:
      return recordFields.get(step.obj)?.[step.aux] ?? "shared field";
    case Prim.Thread:
      return step.op === Op.Join
        ? `join ${threadNames.get(step.obj) ?? `thread ${step.obj}`}`
        : (laneNames[step.obj] ?? "thread");
    case Prim.Time:
      return `sleep(${step.obj / 1000})`;
    default:
      return PRIM_NAMES[step.prim] ? labelOf(PRIM_NAMES[step.prim]!, step.obj) : "";
  }
}

const OP_WORDS: Partial<Record<Op, string>> = {
  [Op.Acquire]: "acquire",
  [Op.Release]: "release",
  [Op.Set]: "set",
  [Op.Clear]: "clear",
  [Op.Notify]: "notify",
  [Op.Wait]: "wait",
  [Op.Put]: "put",
  [Op.Get]: "get",
  [Op.Read]: "read",
  [Op.Write]: "write",
  [Op.Join]: "join",
  [Op.Start]: "start",
  [Op.Sleep]: "sleep",
};

/** One line per step ("Thread-2: read money"), for text output and tests. */
export function describeSteps(
  steps: readonly LoggedStep[],
  laneNames: readonly string[],
  threadNames: ReadonlyMap<number, string>,
): string[] {
  const out: string[] = [];
  for (const s of steps) {
    const who = laneNames[s.who] ?? `#${s.who}`;
    const what = labelOfStep(s, laneNames, threadNames);
    const word =
      s.op === Op.Block
        ? "blocks"
        : s.op === Op.Wake
          ? s.label !== undefined
            ? "resumes after"
            : "wakes"
          : s.op === Op.Timeout
            ? "times out"
            : OP_WORDS[s.op];
    if (s.op === Op.Begin) out.push(`${who}: begins`);
    else if (s.op === Op.End) out.push(`${who}: ends${s.aux ? " with an error" : ""}`);
    else if (s.op === Op.Start) out.push(`${who}: starts ${laneNames[s.obj] ?? "a thread"}`);
    else out.push(`${who}: ${word ?? "step"}${what && s.op !== Op.Join ? ` ${what}` : what ? ` (${what})` : ""}`);
  }
  return out;
}

/** Builds the chart of a schedule from its logged steps. */
export function scheduleTimeline(
  steps: readonly LoggedStep[],
  laneNames: readonly string[],
  threadNames: ReadonlyMap<number, string>,
  title: string,
): Timeline {
  const start = 0;
  const events: RawEvent[] = [];
  const t = (s: number): number => start + s * STEP_MS;
  let span = 1;
  const openWait = new Map<number, number>(); // lane → span id of its turn/blocked wait
  const pendingAcquire = new Map<number, string>();
  const lane = (i: number): string => laneNames[i] ?? `#${i}`;
  const push = (e: Omit<RawEvent, "pid">): void => void events.push({ ...e, pid: 0 });
  const endWait = (i: number, at: number, kind: RawEvent["kind"], what?: string): void => {
    const id = openWait.get(i);
    if (id === undefined) return;
    openWait.delete(i);
    push({ t: at, kind, lane: lane(i), what, span: id });
  };
  const beginWait = (i: number, at: number, kind: "wait" | "sleep", what: string): void => {
    if (openWait.has(i)) return;
    const id = span++;
    openWait.set(i, id);
    push({ t: at, kind, lane: lane(i), what, span: id });
  };
  push({ t: t(0), kind: "start", lane: lane(0), span: 0 });
  let running = 0;
  const blocked = new Set<number>();
  const ended = new Set<number>();
  for (let s = 0; s < steps.length; s++) {
    const step = steps[s]!;
    const at = t(s);
    const who = step.who;
    if (who !== running) {
      if (!blocked.has(running) && !ended.has(running)) beginWait(running, at, "wait", "(its turn)");
      endWait(who, at, "wake");
      push({ t: at, kind: "mark", lane: lane(who), what: "⇄", span: 0 }); // a switch point: this thread got the token
      running = who;
    }
    const what = labelOfStep(step, laneNames, threadNames);
    const pending = pendingAcquire.get(who);
    if (pending !== undefined && step.op !== Op.Block && step.op !== Op.Wake) {
      pendingAcquire.delete(who);
      push({ t: at, kind: "acquire", lane: lane(who), what: pending, span: 0 });
    }
    switch (step.op) {
      case Op.Start:
        push({ t: at, kind: "start", lane: lane(step.obj), span: 0 });
        beginWait(step.obj, at, "wait", "(its turn)");
        break;
      case Op.End:
        ended.add(who);
        push({ t: at + STEP_MS, kind: "end", lane: lane(who), span: 0 });
        break;
      case Op.Acquire:
        pendingAcquire.set(who, what);
        break;
      case Op.Release:
        push({ t: at, kind: "release", lane: lane(who), what, span: 0 });
        break;
      case Op.Block: {
        blocked.add(who);
        const before = lastOpOf(steps, s, who);
        beginWait(who, at, "wait", before ? labelOfStep(before, laneNames, threadNames) : "");
        break;
      }
      case Op.Sleep:
        blocked.add(who);
        beginWait(who, at, "sleep", what);
        break;
      case Op.Wake:
      case Op.Timeout:
        blocked.delete(who);
        if (step.op === Op.Timeout) pendingAcquire.delete(who);
        break;
      case Op.Set:
      case Op.Notify:
      case Op.Put:
      case Op.Get:
        push({
          t: at,
          kind: step.op === Op.Set ? "set" : step.op === Op.Notify ? "notify" : step.op === Op.Put ? "put" : "get",
          lane: lane(who),
          what,
          span: 0,
        });
        break;
      case Op.Read:
      case Op.Write:
        push({
          t: at,
          kind: "mark",
          lane: lane(who),
          what: `${step.op === Op.Read ? "read" : "write"} ${what}`,
          span: 0,
        });
        break;
      default:
        break;
    }
  }
  const end = t(steps.length) + STEP_MS;
  push({ t: end, kind: "end", lane: lane(0), span: 0 });
  events.sort((a, b) => a.t - b.t);
  return new Timeline(undefined, events, (end - start) / 1000, title, start);
}

function lastOpOf(steps: readonly LoggedStep[], before: number, who: number): LoggedStep | undefined {
  for (let s = before - 1; s >= 0; s--) {
    const st = steps[s]!;
    if (st.who === who && st.op !== Op.Block && st.op !== Op.Wake && st.op !== Op.Timeout) return st;
  }
  return undefined;
}
