import { test } from "node:test";
import assert from "node:assert/strict";
import { ExecutionQueue } from "../../src/kernel/execution-queue";
import { MessageFactory, type RoutedMessage } from "../../src/protocol";
import { until } from "../helpers/wait";

const factory = new MessageFactory();
const req = (msgType: string, content: Record<string, unknown> = {}): RoutedMessage => ({
  identities: [],
  message: factory.message(msgType, content),
});
const exec = (code: string, extra: Record<string, unknown> = {}) => req("execute_request", { code, ...extra });
const codeOf = (r: RoutedMessage) => String((r.message.content as { code?: string }).code ?? r.message.header.msg_type);

/** A queue whose "run" fails cells whose code starts with "fail", after a short wait. */
function harness() {
  const events: string[] = [];
  const queue = new ExecutionQueue({
    run: async (r) => {
      events.push(`start ${codeOf(r)}`);
      await new Promise((res) => setTimeout(res, 5));
      events.push(`end ${codeOf(r)}`);
      return { status: codeOf(r).startsWith("fail") ? "error" : "ok" };
    },
    abort: async (r) => {
      events.push(`abort ${codeOf(r)}`);
    },
  });
  return { events, queue };
}

test("requests run one at a time, in arrival order", async () => {
  const { events, queue } = harness();
  for (const c of ["a", "b", "c"]) queue.push(exec(c));
  await queue.idle();
  assert.deepEqual(events, ["start a", "end a", "start b", "end b", "start c", "end c"]);
});

test("a failure aborts the executes queued at that moment, not other requests, not later arrivals", async () => {
  const { events, queue } = harness();
  queue.push(exec("fail 1"));
  queue.push(exec("queued 1"));
  queue.push(req("kernel_info_request"));
  queue.push(exec("queued 2"));
  // Arrives after the failure's reply (its queued executes already aborted): runs.
  await until(() => events.includes("abort queued 2"), 5000, "the failure to abort the executes queued with it");
  queue.push(exec("later"));
  await queue.idle();
  assert.deepEqual(events, [
    "start fail 1",
    "end fail 1",
    "abort queued 1",
    "start kernel_info_request",
    "end kernel_info_request",
    "abort queued 2",
    "start later",
    "end later",
  ]);
});

test("stop_on_error: false and silent failures abort nothing", async () => {
  for (const extra of [{ stop_on_error: false }, { silent: true }]) {
    const { events, queue } = harness();
    queue.push(exec("fail", extra));
    queue.push(exec("next"));
    await queue.idle();
    assert.deepEqual(events, ["start fail", "end fail", "start next", "end next"], JSON.stringify(extra));
  }
});

test("a run that throws does not stop the queue", async () => {
  const ran: string[] = [];
  const queue = new ExecutionQueue({
    run: async (r) => {
      ran.push(codeOf(r));
      if (codeOf(r) === "boom") throw new Error("handler bug");
      return { status: "ok" };
    },
    abort: async () => undefined,
  });
  queue.push(exec("boom"));
  queue.push(exec("after"));
  await queue.idle();
  assert.deepEqual(ran, ["boom", "after"]);
});
