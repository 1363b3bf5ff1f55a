import { test } from "node:test";
import assert from "node:assert/strict";
import type { Publisher } from "zeromq";
import { IopubPublisher } from "../../src/kernel/iopub";
import { createLogger } from "../../src/system/log";
import { createSigner, decodeMessage, MessageFactory, type MessageHeader } from "../../src/protocol";

const signer = createSigner("hmac-sha256", "k");

/** A PUB stand-in whose sends take `delayMs`; records decoded messages. */
function pub(delayMs: number) {
  const got: { type: string; parent?: string; content: Record<string, unknown>; topic: string }[] = [];
  const socket = {
    async send(frames: Buffer[]) {
      await new Promise((r) => setTimeout(r, delayMs));
      const { identities, message } = decodeMessage(frames, { signer });
      got.push({
        type: message.header.msg_type,
        parent: (message.parent_header as Partial<MessageHeader>).msg_id,
        content: message.content,
        topic: String(identities[0]),
      });
    },
  };
  return { got, socket: socket as unknown as Publisher };
}

const factory = new MessageFactory("s", "u");
const parentA = factory.header("execute_request");
const parentB = factory.header("execute_request");

test("while a send is pending, stream text of the same parent and name is merged, in order", async () => {
  const { got, socket } = pub(5);
  const iopub = new IopubPublisher(socket, factory, signer, createLogger("t", { write: () => undefined }));
  iopub.status("busy", parentA);
  for (let i = 0; i < 1000; i++) iopub.publish("stream", { name: "stdout", text: `${i}\n` }, parentA);
  iopub.status("idle", parentA);
  await iopub.drained();
  assert.deepEqual(
    got.map((g) => g.type),
    ["status", "stream", "status"],
  );
  assert.equal(got[1]!.content.text, Array.from({ length: 1000 }, (_, i) => `${i}\n`).join(""));
  assert.equal(got[0]!.topic, "kernel.spindle.status");
});

test("different stream names, different parents and other messages are never merged across", async () => {
  const { got, socket } = pub(5);
  const iopub = new IopubPublisher(socket, factory, signer, createLogger("t", { write: () => undefined }));
  iopub.status("busy", parentA); // being sent: the rest queue behind it
  iopub.publish("stream", { name: "stdout", text: "a1" }, parentA);
  iopub.publish("stream", { name: "stderr", text: "e1" }, parentA);
  iopub.publish("stream", { name: "stderr", text: "e2" }, parentA);
  iopub.publish("stream", { name: "stderr", text: "b1" }, parentB);
  iopub.publish("display_data", { data: { "text/plain": "x" }, metadata: {} }, parentA);
  iopub.publish("stream", { name: "stdout", text: "a2" }, parentA);
  iopub.publish("stream", { name: "stdout", text: "a3" }, parentA);
  await iopub.drained();
  assert.deepEqual(
    got.map(
      (g) => `${g.type}:${g.parent === parentA.msg_id ? "A" : "B"}:${(g.content.text as string | undefined) ?? ""}`,
    ),
    ["status:A:", "stream:A:a1", "stream:A:e1e2", "stream:B:b1", "display_data:A:", "stream:A:a2a3"],
  );
});

test("the caller's content object is never mutated by merging", async () => {
  const { socket } = pub(2);
  const iopub = new IopubPublisher(socket, factory, signer, createLogger("t", { write: () => undefined }));
  const first = { name: "stdout" as const, text: "one" };
  iopub.status("busy", parentA);
  iopub.publish("stream", first, parentA);
  iopub.publish("stream", { name: "stdout", text: "two" }, parentA);
  await iopub.drained();
  assert.equal(first.text, "one");
});
