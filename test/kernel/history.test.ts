import { test } from "node:test";
import assert from "node:assert/strict";
import { globToRegExp, History } from "../../src/kernel/history";

function sample(): History {
  const h = new History();
  ["const a = 1", "const b = 2", "a + b", "console.log(a)"].forEach((code, i) => h.record(`m${i}`, i + 1, code));
  h.recordOutput("m2", "3");
  return h;
}

test("tail returns the last n entries as [session, line, input]", () => {
  assert.deepEqual(sample().query({ hist_access_type: "tail", n: 2 }), [
    [1, 3, "a + b"],
    [1, 4, "console.log(a)"],
  ]);
  assert.equal(sample().query({ hist_access_type: "tail" }).length, 4);
});

test("output: true pairs each input with its text/plain result (null when none)", () => {
  assert.deepEqual(sample().query({ hist_access_type: "tail", n: 2, output: true }), [
    [1, 3, ["a + b", "3"]],
    [1, 4, ["console.log(a)", null]],
  ]);
});

test("range selects [start, stop) of a session; 0 and negatives are relative to the current one", () => {
  const h = sample();
  assert.deepEqual(
    h.query({ hist_access_type: "range", session: 1, start: 2, stop: 4 }).map((e) => e[1]),
    [2, 3],
  );
  assert.deepEqual(
    h.query({ hist_access_type: "range", session: 0, start: 4 }).map((e) => e[1]),
    [4],
  );
  h.newSession();
  h.record("n1", 1, "fresh");
  assert.deepEqual(h.query({ hist_access_type: "range", session: 0, start: 1 }), [[2, 1, "fresh"]]);
  assert.deepEqual(h.query({ hist_access_type: "range", session: -1, start: 1, stop: 2 }), [[1, 1, "const a = 1"]]);
});

test("search matches whole inputs with a glob; unique keeps the latest of each; n keeps the last n", () => {
  const h = sample();
  h.record("m4", 5, "a + b");
  assert.deepEqual(
    h.query({ hist_access_type: "search", pattern: "const ?*" }).map((e) => e[2]),
    ["const a = 1", "const b = 2"],
  );
  assert.deepEqual(
    h.query({ hist_access_type: "search", pattern: "a + b" }).map((e) => e[1]),
    [3, 5],
  );
  assert.deepEqual(
    h.query({ hist_access_type: "search", pattern: "a + b", unique: true }).map((e) => e[1]),
    [5],
  );
  assert.deepEqual(
    h.query({ hist_access_type: "search", pattern: "*", n: 2 }).map((e) => e[1]),
    [4, 5],
  );
});

test("glob: * ? [set] [^set], everything else literal", () => {
  assert.ok(globToRegExp("a*c").test("abbbc"));
  assert.ok(globToRegExp("a?c").test("abc"));
  assert.ok(!globToRegExp("a?c").test("ac"));
  assert.ok(globToRegExp("[xy]1").test("y1"));
  assert.ok(!globToRegExp("[^xy]1").test("y1"));
  assert.ok(globToRegExp("1+1 (x).$").test("1+1 (x).$"));
  assert.ok(globToRegExp("*").test("multi\nline"));
  assert.ok(!globToRegExp("abc").test("xabc"), "anchored at both ends");
});
