import { test } from "node:test";
import assert from "node:assert/strict";
import { MagicError, parseMagics } from "../../src/timing/magics";

const lines = (s: string): number => s.split("\n").length;

test("no magic: the source is returned unchanged", () => {
  const src = "const a = 10 % 3;\nconsole.log(a % 2)\n";
  assert.deepEqual(parseMagics(src), { code: src, lineMagics: [] });
});

test("cell magics on the first line; the line is blanked, line count kept", () => {
  const time = parseMagics("%%time\nconst x = work();\nx");
  assert.deepEqual(time.cellMagic, { name: "time" });
  assert.equal(time.code, "\nconst x = work();\nx");
  const leading = parseMagics("\n  %%timeline Three tasks\nawait go();");
  assert.deepEqual(leading.cellMagic, { name: "timeline", title: "Three tasks" });
  assert.equal(lines(leading.code), 3);
  assert.deepEqual(parseMagics('%%timeline "Quoted title"\n1').cellMagic, { name: "timeline", title: "Quoted title" });
  assert.deepEqual(parseMagics("%%timeline\n1").cellMagic, { name: "timeline" });
});

test("%%timeit flags: -n, -r (attached or separate), -q, -o", () => {
  assert.deepEqual(parseMagics("%%timeit\nf()").cellMagic, { name: "timeit", quiet: false, returnResult: false });
  assert.deepEqual(parseMagics("%%timeit -n 10 -r3 -q -o\nf()").cellMagic, {
    name: "timeit",
    number: 10,
    repeat: 3,
    quiet: true,
    returnResult: true,
  });
  assert.throws(() => parseMagics("%%timeit -n 0\nf()"), MagicError);
  assert.throws(() => parseMagics("%%timeit f()\n"), /next line/);
});

test("line magics are rewritten in place to lineMagic calls", () => {
  const plan = parseMagics("const n = 5;\n%time work(n)\nconsole.log(1);");
  assert.equal(plan.cellMagic, undefined);
  assert.deepEqual(plan.lineMagics, [{ line: 1, name: "time", statement: "work(n)" }]);
  assert.equal(
    plan.code.split("\n")[1],
    'await (await import("spindle/timing")).lineMagic("time", async () => (work(n)), "work(n)");',
  );
  assert.equal(lines(plan.code), 3);
  assert.equal(plan.code.split("\n")[0], "const n = 5;");
});

test("a %time declaration keeps its name at top level, with its type annotation", () => {
  const plan = parseMagics("%time const total: number = sum(xs);");
  assert.equal(
    plan.code,
    'const total: number = await (await import("spindle/timing")).lineMagic("time", async () => (sum(xs)), "const total: number = sum(xs);");',
  );
  const destructure = parseMagics("%time let { a, b } = pair()");
  assert.match(destructure.code, /^let \{ a, b \} = await .*lineMagic\("time", async \(\) => \(pair\(\)\)/);
});

test("statements become a block; %timeit passes its options", () => {
  const plan = parseMagics("  %timeit -n 100 -r 5 for (let i = 0; i < 10; i++) f(i);");
  assert.equal(
    plan.code,
    '  await (await import("spindle/timing")).lineMagic("timeit", async () => { for (let i = 0; i < 10; i++) f(i); }, "for (let i = 0; i < 10; i++) f(i);", {"number":100,"repeat":5});',
  );
  const q = parseMagics("%timeit -q -o fib(20)");
  assert.match(q.code, /\{"quiet":true,"returnResult":true\}\);$/);
});

test("errors: unknown magics, misplaced cell magics, missing statements", () => {
  assert.throws(() => parseMagics("%%bash\nls"), { code: "ERR_SPINDLE_MAGIC", message: /Unknown cell magic %%bash/ });
  assert.throws(() => parseMagics("%matplotlib inline"), /Unknown magic %matplotlib/);
  assert.throws(() => parseMagics("let a = 1;\n%%time\nf()"), /must be the first line/);
  assert.throws(() => parseMagics("%time"), /needs a statement/);
  assert.throws(() => parseMagics("%time -n 3 f()"), /takes no options/);
  assert.throws(() => parseMagics("%%time now\nf()"), /takes no arguments/);
});

test("a line starting with % that continues an expression is left alone", () => {
  const src = "const r = 17\n%mod(3)";
  assert.equal(parseMagics(src).code, src);
});
