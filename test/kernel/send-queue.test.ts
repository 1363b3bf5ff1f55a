import { test } from "node:test";
import assert from "node:assert/strict";
import { SendQueue } from "../../src/protocol/send-queue";
import { createLogger } from "../../src/system/log";

/** A socket stand-in whose send resolves after `delayMs`, refusing with EAGAIN the first `busy` times. */
function socket(options: { delayMs?: number; busy?: number; fail?: (frames: Buffer[]) => boolean } = {}) {
  const sent: string[] = [];
  let pendingSends = 0;
  let maxPending = 0;
  let busy = options.busy ?? 0;
  return {
    sent,
    get maxPending() {
      return maxPending;
    },
    async send(frames: Buffer[]): Promise<void> {
      pendingSends++;
      maxPending = Math.max(maxPending, pendingSends);
      try {
        await new Promise((r) => setTimeout(r, options.delayMs ?? 0));
        if (busy > 0) {
          busy--;
          throw Object.assign(new Error("Resource temporarily unavailable"), { code: "EAGAIN" });
        }
        if (options.fail?.(frames)) throw Object.assign(new Error("Socket is closed"), { code: "ENOTSOCK" });
        sent.push(frames.map(String).join("|"));
      } finally {
        pendingSends--;
      }
    },
  };
}

const quiet = (lines: string[] = []) => createLogger("test", { write: (l) => lines.push(l) });
const item = (text: string) => ({ frames: () => [Buffer.from(text)] });

test("sends in order with at most one send pending at a time", async () => {
  const s = socket({ delayMs: 1 });
  const q = new SendQueue(s, "t", quiet());
  for (let i = 0; i < 50; i++) q.push(item(`m${i}`));
  await q.drained();
  assert.deepEqual(
    s.sent,
    Array.from({ length: 50 }, (_, i) => `m${i}`),
  );
  assert.equal(s.maxPending, 1, "zeromq v6 allows one pending send per socket");
});

test("EAGAIN (a full subscriber with noDrop) is retried until the message goes out; nothing is dropped", async () => {
  const s = socket({ busy: 5 });
  const q = new SendQueue(s, "t", quiet());
  q.push(item("a"));
  q.push(item("b"));
  await q.drained();
  assert.deepEqual(s.sent, ["a", "b"]);
});

test("another send error is logged and the queue goes on", async () => {
  const lines: string[] = [];
  const s = socket({ fail: (f) => String(f[0]) === "bad" });
  const q = new SendQueue(s, "shell", quiet(lines));
  for (const t of ["a", "bad", "c"]) q.push(item(t));
  await q.drained();
  assert.deepEqual(s.sent, ["a", "c"]);
  assert.match(lines.join(""), /shell: send failed \(ENOTSOCK\)/);
});

test("drained() waits for what was queued before it, not for later items", async () => {
  const s = socket({ delayMs: 5 });
  const q = new SendQueue(s, "t", quiet());
  q.push(item("first"));
  const drained = q.drained().then(() => [...s.sent]);
  q.push(item("second"));
  q.push(item("third"));
  assert.deepEqual(await drained, ["first"]);
  await q.drained();
  assert.deepEqual(s.sent, ["first", "second", "third"]);
});

test("after close, new items are refused and queued ones still go out", async () => {
  const s = socket({ delayMs: 2 });
  const q = new SendQueue(s, "t", quiet());
  q.push(item("queued"));
  q.close();
  q.push(item("late"));
  await q.drained();
  assert.deepEqual(s.sent, ["queued"]);
});
