import { test } from "node:test";
import assert from "node:assert/strict";
import { DELIMITER, ProtocolError, joinFrames, splitFrames } from "../../src/protocol";

const b = (s: string): Buffer => Buffer.from(s);
const json4 = [b('{"msg_id":"1","msg_type":"x"}'), b("{}"), b("{}"), b("{}")];

test("splits identities, signature, the four parts and buffers", () => {
  const frames = [b("id-1"), b("id-2"), DELIMITER, b("sig"), ...json4, b("buf-a"), Buffer.from([0, 1, 2])];
  const split = splitFrames(frames);
  assert.deepEqual(split.identities.map(String), ["id-1", "id-2"]);
  assert.equal(split.signature, "sig");
  assert.deepEqual(split.parts.map(String), json4.map(String));
  assert.equal(split.buffers.length, 2);
  assert.deepEqual([...split.buffers[1]!], [0, 1, 2]);
});

test("no identities (a PUB message) and no buffers", () => {
  const split = splitFrames([DELIMITER, b(""), ...json4]);
  assert.deepEqual(split.identities, []);
  assert.equal(split.signature, "");
  assert.deepEqual(split.buffers, []);
});

test("an identity that merely contains the delimiter text is not the delimiter", () => {
  const frames = [b("x<IDS|MSG>y"), DELIMITER, b("s"), ...json4];
  assert.deepEqual(splitFrames(frames).identities.map(String), ["x<IDS|MSG>y"]);
});

test("join is the inverse of split", () => {
  const frames = joinFrames([b("peer")], "abcd", json4, [b("B")]);
  const split = splitFrames(frames);
  assert.deepEqual(
    joinFrames(split.identities, split.signature, split.parts, split.buffers).map(String),
    frames.map(String),
  );
});

test("missing delimiter and truncated messages are refused with their codes", () => {
  const cases: [Buffer[], string][] = [
    [[b("id"), b("sig"), ...json4], "ERR_SPINDLE_PROTOCOL_NO_DELIMITER"],
    [[], "ERR_SPINDLE_PROTOCOL_NO_DELIMITER"],
    [[b("id"), DELIMITER], "ERR_SPINDLE_PROTOCOL_TRUNCATED"],
    [[b("id"), DELIMITER, b("sig"), ...json4.slice(0, 3)], "ERR_SPINDLE_PROTOCOL_TRUNCATED"],
  ];
  for (const [frames, code] of cases) {
    assert.throws(
      () => splitFrames(frames),
      (err: unknown) => err instanceof ProtocolError && err.code === code,
    );
  }
});
