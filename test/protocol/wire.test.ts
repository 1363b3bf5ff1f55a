import { test } from "node:test";
import assert from "node:assert/strict";
import {
  DELIMITER,
  MessageFactory,
  PROTOCOL_VERSION,
  ProtocolError,
  ReplayGuard,
  createSigner,
  decodeMessage,
  encodeMessage,
} from "../../src/protocol";

const signer = createSigner("hmac-sha256", "0123-key");
const factory = new MessageFactory("session-1", "tester");

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof ProtocolError, `expected ProtocolError, got ${String(err)}`);
    return err.code;
  }
  return undefined;
}

test("the factory makes 5.3 headers with uuid ids, session, username and ISO date", () => {
  const msg = factory.message("kernel_info_request", {});
  assert.equal(msg.header.version, PROTOCOL_VERSION);
  assert.equal(PROTOCOL_VERSION, "5.3");
  assert.match(msg.header.msg_id, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  assert.equal(msg.header.session, "session-1");
  assert.equal(msg.header.username, "tester");
  assert.ok(!Number.isNaN(Date.parse(msg.header.date)));
  assert.deepEqual(msg.parent_header, {});
  assert.notEqual(factory.header("x").msg_id, factory.header("x").msg_id);
  const reply = factory.message("kernel_info_reply", { status: "ok" }, { parent: msg });
  assert.deepEqual(reply.parent_header, msg.header);
});

test("encode then decode round-trips a message with identities and buffers", () => {
  const msg = factory.message(
    "comm_msg",
    { comm_id: "c", data: { x: "ü" } },
    { metadata: { m: 1 }, buffers: [Buffer.from([9, 8, 7])] },
  );
  const frames = encodeMessage(msg, [Buffer.from("peer")], signer);
  assert.ok(frames[1]!.equals(DELIMITER));
  const decoded = decodeMessage(frames, { signer, replay: new ReplayGuard() });
  assert.deepEqual(decoded.identities.map(String), ["peer"]);
  assert.deepEqual(decoded.message.header, msg.header);
  assert.deepEqual(decoded.message.content, msg.content);
  assert.deepEqual(decoded.message.metadata, { m: 1 });
  assert.deepEqual([...decoded.message.buffers[0]!], [9, 8, 7]);
});

test("a tampered content frame fails the signature check", () => {
  const frames = encodeMessage(factory.message("execute_request", { code: "1" }), [], signer);
  frames[frames.length - 1] = Buffer.from('{"code":"2"}');
  assert.equal(
    codeOf(() => decodeMessage(frames, { signer })),
    "ERR_SPINDLE_PROTOCOL_BAD_SIGNATURE",
  );
});

test("a message signed with another key is refused", () => {
  const frames = encodeMessage(
    factory.message("execute_request", { code: "1" }),
    [],
    createSigner("hmac-sha256", "wrong"),
  );
  assert.equal(
    codeOf(() => decodeMessage(frames, { signer })),
    "ERR_SPINDLE_PROTOCOL_BAD_SIGNATURE",
  );
});

test("the same signed message sent twice is refused the second time", () => {
  const replay = new ReplayGuard();
  const frames = encodeMessage(factory.message("execute_request", { code: "1" }), [], signer);
  assert.equal(
    codeOf(() => decodeMessage(frames, { signer, replay })),
    undefined,
  );
  assert.equal(
    codeOf(() => decodeMessage(frames, { signer, replay })),
    "ERR_SPINDLE_PROTOCOL_REPLAYED",
  );
});

test("a forged message does not use up a replay slot", () => {
  const replay = new ReplayGuard();
  const frames = encodeMessage(factory.message("execute_request", { code: "1" }), [], signer);
  const forged = [...frames];
  forged[forged.length - 1] = Buffer.from("{}");
  assert.equal(
    codeOf(() => decodeMessage(forged, { signer, replay })),
    "ERR_SPINDLE_PROTOCOL_BAD_SIGNATURE",
  );
  assert.equal(replay.size, 0);
  assert.equal(
    codeOf(() => decodeMessage(frames, { signer, replay })),
    undefined,
    "the genuine message still goes through",
  );
});

test("invalid JSON, a non-object part and a header without msg_type are refused", () => {
  const none = createSigner("hmac-sha256", "");
  const base = [DELIMITER, Buffer.from("")];
  const ok = '{"msg_id":"1","msg_type":"kernel_info_request"}';
  const cases: [string[], string][] = [
    [["{not json", "{}", "{}", "{}"], "ERR_SPINDLE_PROTOCOL_INVALID_JSON"],
    [[ok, "{}", "[]", "{}"], "ERR_SPINDLE_PROTOCOL_INVALID_JSON"],
    [[ok, "{}", "{}", "42"], "ERR_SPINDLE_PROTOCOL_INVALID_JSON"],
    [['{"msg_id":"1"}', "{}", "{}", "{}"], "ERR_SPINDLE_PROTOCOL_BAD_HEADER"],
    [['{"msg_type":"x","msg_id":7}', "{}", "{}", "{}"], "ERR_SPINDLE_PROTOCOL_BAD_HEADER"],
    [[ok, "{}", "{}", "{}"], ""],
  ];
  for (const [parts, code] of cases) {
    const frames = [...base, ...parts.map((p) => Buffer.from(p))];
    assert.equal(codeOf(() => decodeMessage(frames, { signer: none })) ?? "", code, parts.join(" "));
  }
});

test("a message larger than maxBytes is refused before any parsing", () => {
  const msg = factory.message("execute_request", { code: "x".repeat(2000) });
  const frames = encodeMessage(msg, [], signer);
  assert.equal(
    codeOf(() => decodeMessage(frames, { signer, maxBytes: 1000 })),
    "ERR_SPINDLE_PROTOCOL_TOO_LARGE",
  );
  assert.equal(
    codeOf(() => decodeMessage(frames, { signer, maxBytes: 10_000 })),
    undefined,
  );
});
