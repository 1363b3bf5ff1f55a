import { test } from "node:test";
import assert from "node:assert/strict";
import { createSigner, ProtocolError } from "../../src/protocol";

const parts = (...texts: string[]): Buffer[] => texts.map((t) => Buffer.from(t));

test("hmac-sha256 matches the RFC 4231 vector over the concatenated frames", () => {
  const signer = createSigner("hmac-sha256", "Jefe");
  // RFC 4231 test case 2, data split across four frames: HMAC covers them in order.
  const sig = signer.sign(parts("what do ya", " want ", "for noth", "ing?"));
  assert.equal(sig, "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
  assert.equal(signer.enabled, true);
});

test("verify accepts the right signature and rejects any other", () => {
  const signer = createSigner("hmac-sha256", "secret-key");
  const frames = parts('{"msg_id":"a"}', "{}", "{}", '{"code":"1+1"}');
  const sig = signer.sign(frames);
  assert.equal(signer.verify(sig, frames), true);
  const flipped = sig.slice(0, -1) + (sig.endsWith("0") ? "1" : "0");
  assert.equal(signer.verify(flipped, frames), false);
  assert.equal(signer.verify(sig.slice(0, 10), frames), false, "a truncated signature fails");
  assert.equal(signer.verify("", frames), false, "an empty signature fails when a key is set");
  assert.equal(
    signer.verify(sig, parts('{"msg_id":"a"}', "{}", "{}", '{"code":"1+2"}')),
    false,
    "changed content fails",
  );
  assert.equal(createSigner("hmac-sha256", "other-key").verify(sig, frames), false, "another key fails");
});

test("the scheme picks the hash; hmac-sha512 signs with 128 hex digits", () => {
  const sig = createSigner("hmac-sha512", "k").sign(parts("a", "b", "c", "d"));
  assert.match(sig, /^[0-9a-f]{128}$/);
});

test("an empty key disables signing: empty signatures, anything verifies", () => {
  const signer = createSigner("hmac-sha256", "");
  assert.equal(signer.enabled, false);
  assert.equal(signer.sign(parts("a", "b", "c", "d")), "");
  assert.equal(signer.verify("whatever", parts("a", "b", "c", "d")), true);
});

test("an unknown scheme is refused with a stable code", () => {
  for (const scheme of ["hmac-nosuchhash", "rsa-sha256", ""]) {
    assert.throws(
      () => createSigner(scheme, "k"),
      (err: unknown) =>
        err instanceof ProtocolError &&
        err.code === "ERR_SPINDLE_PROTOCOL_UNSUPPORTED_SCHEME" &&
        /hmac-sha256/.test(err.message),
    );
  }
});
