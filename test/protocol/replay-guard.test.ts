import { test } from "node:test";
import assert from "node:assert/strict";
import { ReplayGuard } from "../../src/protocol";

test("a signature is accepted once, then refused", () => {
  const guard = new ReplayGuard();
  assert.equal(guard.accept("abc"), true);
  assert.equal(guard.accept("abc"), false);
  assert.equal(guard.accept("abd"), true);
});

test("memory is bounded: the oldest signature is forgotten first", () => {
  const guard = new ReplayGuard(3);
  for (const s of ["s1", "s2", "s3", "s4"]) assert.equal(guard.accept(s), true);
  assert.equal(guard.size, 3);
  assert.equal(guard.accept("s2"), false, "s2 is still remembered");
  assert.equal(guard.accept("s1"), true, "s1 was evicted, as the oldest");
  assert.equal(guard.size, 3);
});

test("holds its capacity under a long stream of signatures", () => {
  const guard = new ReplayGuard(1000);
  for (let i = 0; i < 10_000; i++) guard.accept(`sig-${i}`);
  assert.equal(guard.size, 1000);
  assert.equal(guard.accept("sig-9999"), false);
  assert.equal(guard.accept("sig-0"), true);
});
