import { test } from "node:test";
import assert from "node:assert/strict";
import { freeNamesOf, bindingsInScript } from "../../../src/concurrency/shipping/free-names";

const cases: Array<[string, string[]]> = [
  ["function f(a) { return a + b; }", ["b"]],
  ["(x) => { const y = x * k; return y + Math.max(y, z); }", ["k", "Math", "z"]],
  ["function fib(n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }", []],
  ["async function g() { for (let i = 0; i < n; i++) { await sleep(i); } }", ["n", "sleep"]],
  ["function h() { var v = 1; { let w = v; } return w; }", ["w"]],
  ["function h() { try { risky(); } catch (e) { return e.message; } }", ["risky"]],
  ["({ a, b: c, ...rest }) => [a, c, rest, d]", ["d"]],
  ["function o() { return { key: val, short, [comp]: 1, method() { return this.key; } }; }", ["val", "short", "comp"]],
  [
    "class A extends Base { x = init; static s = A.name; m() { return helper(this.x); } }",
    ["__spindle_super__", "init", "helper"],
  ],
  ["run() { return lock1.acquire(); }", ["lock1"]],
  ["function l() { outer: for (const k of keys) { if (k) continue outer; } }", ["keys"]],
  ["function s(x) { switch (x) { case 1: { let q = 2; return q; } default: return r; } }", ["r"]],
  ["function hoist() { f2(); function f2() { return v2; } var v2 = 1; }", []],
  ["function a() { return arguments.length + new.target; }", []],
];

test("free names of function and class sources", () => {
  for (const [src, expected] of cases) {
    assert.deepEqual(freeNamesOf(src, "case").names, expected, src);
  }
});

test("member accesses on free names are collected unless the name is used whole", () => {
  const f = freeNamesOf(
    "function w(n) { return __cells__1.factor * n + __cells__1['offset'] + exports.x + g(exports); }",
    "w",
  );
  assert.deepEqual([...(f.members.get("__cells__1") ?? [])], ["factor", "offset"]);
  assert.equal(f.members.has("exports"), false);
});

test("declaration kinds are read from the script around a function", () => {
  const script = [
    "const a = 1; let b = 2; var c = 3;",
    "function outer(p) {",
    "  const inner = () => a + b + c + p + q + helper();",
    "  return inner;",
    "}",
    "function helper() { return 0; }",
  ].join("\n");
  const fnText = "() => a + b + c + p + q + helper()";
  const found = bindingsInScript(script, fnText, script.indexOf(fnText) + 3, ["a", "b", "c", "p", "q", "helper"]);
  assert.ok(found);
  assert.equal(found.start, script.indexOf(fnText));
  assert.deepEqual(Object.fromEntries(found.kinds), { a: "const", b: "let", c: "var", p: "param", helper: "function" });
});
