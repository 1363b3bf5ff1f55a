/** Cross-cell state, redeclaration, types, results and errors, through a real executor process. */
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { ExecutorHarness } from "./harness";

describe("executor: state across cells", { timeout: 120_000 }, () => {
  let ex: ExecutorHarness;
  before(async () => {
    ex = new ExecutorHarness();
    fs.mkdirSync(path.join(ex.dir, "node_modules", "local-pkg"), { recursive: true });
    fs.writeFileSync(
      path.join(ex.dir, "node_modules", "local-pkg", "index.js"),
      "exports.greet = (n) => 'hello ' + n;\n",
    );
    await ex.host.ready;
  });
  after(async () => ex.close());

  it("keeps every kind of declaration, with its type, for later cells", async () => {
    const first = await ex.run(
      [
        "let counter = 1;",
        "const base: number = 10;",
        "var legacy = 'v';",
        "function bump(by: number): number { counter += by; return counter; }",
        "class Account { constructor(public balance: number) {} }",
        "type Money = number;",
        "interface Named { name: string }",
        "enum Color { Red, Green }",
        "import * as os from 'node:os';",
        "import { greet } from 'local-pkg';",
      ].join("\n"),
    );
    assert.equal(first.reply.status, "ok", JSON.stringify(first.reply));
    const second = await ex.run(
      [
        "const m: Money = bump(base);",
        "const who: Named = { name: greet(legacy) };",
        "const acct = new Account(m);",
        "[counter, m, who.name, acct.balance, Color.Green, typeof os.cpus]",
      ].join("\n"),
    );
    assert.equal(second.reply.status, "ok", JSON.stringify(second.reply));
    assert.equal(second.result, "[ 11, 11, 'hello v', 11, 1, 'function' ]");
  });

  it("checks later cells against earlier types", async () => {
    const bad = await ex.run("const n: string = base;");
    assert.equal(bad.reply.status, "error");
    assert.equal(bad.reply.ename, "TypeScriptError");
    assert.match(String(bad.reply.evalue), /Type 'number' is not assignable to type 'string'/);
    assert.match(String(bad.reply.evalue), /line 1/);
  });

  it("lets a re-run cell and a later cell redeclare names (the newest wins)", async () => {
    const again = await ex.run("let counter = 100;\nconst base: number = 5;\ncounter + base");
    assert.equal(again.reply.status, "ok", JSON.stringify(again.reply));
    assert.equal(again.result, "105");
    const same = await ex.run("let counter = 100;\nconst base: number = 5;\ncounter + base");
    assert.equal(same.reply.status, "ok", JSON.stringify(same.reply));
    const retyped = await ex.run("const base = 'now a string';\nbase.toUpperCase()");
    assert.equal(retyped.result, "'NOW A STRING'");
    const fn = await ex.run("function bump(s: string): string { return s + '!'; }\nbump('x')");
    assert.equal(fn.result, "'x!'");
    const cls = await ex.run("class Account { kind = 'new' }\nnew Account().kind");
    assert.equal(cls.result, "'new'");
  });

  it("sees the latest value of a let from functions defined in earlier cells", async () => {
    await ex.run("let level = 1;\nfunction readLevel() { return level; }");
    await ex.run("level = 7;");
    const r = await ex.run("readLevel()");
    assert.equal(r.result, "7");
  });

  it("does not run a cell that fails to type-check", async () => {
    const r = await ex.run("globalThis.sideEffect = 'ran';\nconst x: number = 'no';");
    assert.equal(r.reply.status, "error");
    const probe = await ex.run("(globalThis as any).sideEffect");
    assert.equal(probe.result, undefined, "an undefined value has no execute_result");
  });

  it("supports top-level await and returns the last expression", async () => {
    const r = await ex.run("const v = await new Promise<number>((res) => setTimeout(() => res(41), 20));\nv + 1");
    assert.equal(r.result, "42");
    const none = await ex.run("const nothing = undefined;\nnothing");
    assert.equal(none.result, undefined);
  });

  it("reports runtime errors with ename, evalue and cell line numbers, and nothing on stderr", async () => {
    const r = await ex.run("function inner() {\n  throw new RangeError('too far');\n}\ninner();");
    assert.equal(r.reply.status, "error");
    assert.equal(r.reply.ename, "RangeError");
    assert.equal(r.reply.evalue, "too far");
    const tb = (r.reply.traceback as string[]).join("\n");
    assert.match(tb, /inner/);
    assert.match(tb, /line 2/);
    assert.doesNotMatch(tb, /dist\/src|node:internal/);
    assert.equal(r.stderr, "");
    assert.ok(
      r.outputs.some((o) => o.msgType === "error"),
      "an error output is published",
    );
  });

  it("a cell run again unchanged reuses its compiled code but reports under its new label", async () => {
    const cell = "function deeper() {\n  throw new RangeError('again');\n}\ndeeper();";
    const labels = [await ex.run(cell), await ex.run(cell)].map((r) => {
      assert.equal(r.reply.ename, "RangeError");
      const tb = (r.reply.traceback as string[]).join("\n");
      assert.match(tb, /line 2/);
      return [...tb.matchAll(/cell \[(\d+)\]/g)].map((m) => m[1]);
    });
    const [first, second] = labels.map((l) => [...new Set(l)]);
    assert.equal(first?.length, 1, String(labels[0]));
    assert.equal(second?.length, 1, String(labels[1]));
    assert.equal(Number(second![0]), Number(first![0]) + 1, "the second run's frames carry its own label");
    // A result travels with its reply: it is there, once, when the reply arrives.
    const r = await ex.run("6 * 7");
    const again = await ex.run("6 * 7");
    for (const run of [r, again]) {
      assert.equal(run.result, "42");
      assert.equal(run.outputs.filter((o) => o.msgType === "execute_result").length, 1);
    }
  });

  it("keeps values in this realm (instanceof and structuredClone work)", async () => {
    const r = await ex.run(
      "const arr = [1, 2];\n[arr instanceof Array, ({}) instanceof Object, structuredClone({ a: arr }).a.length]",
    );
    assert.equal(r.result, "[ true, true, 2 ]");
  });

  it("imports spindle modules by their specifiers", async () => {
    const r = await ex.run("import { sleep, timeScale } from 'spindle/time';\nawait sleep(0.01);\ntypeof timeScale()");
    assert.equal(r.reply.status, "ok", JSON.stringify(r.reply));
    assert.equal(r.result, "'number'");
  });

  it("finds a package installed after an import of it failed", async () => {
    const missing = await ex.run("import { later } from 'later-pkg';\nlater()");
    assert.equal(missing.reply.status, "error");
    assert.match(String(missing.reply.evalue), /later-pkg/);
    const dir = path.join(ex.dir, "node_modules", "later-pkg");
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, "index.js"), "exports.later = () => 'installed';\n");
    fs.writeFileSync(path.join(dir, "index.d.ts"), "export declare function later(): string;\n");
    const found = await ex.run("import { later } from 'later-pkg';\nlater()");
    assert.equal(found.reply.status, "ok", JSON.stringify(found.reply));
    assert.equal(found.result, "'installed'");
  });

  it("type-checks against a notebook-local module's declarations as edited on disk", async () => {
    const dts = path.join(ex.dir, "helpers.d.ts");
    fs.writeFileSync(path.join(ex.dir, "helpers.js"), "exports.one = () => 1;\nexports.two = () => 2;\n");
    fs.writeFileSync(dts, "export declare function one(): number;\n");
    const before = await ex.run("import { two } from './helpers';");
    assert.equal(before.reply.status, "error", "two is not declared yet");
    fs.writeFileSync(dts, "export declare function one(): number;\nexport declare function two(): number;\n");
    const later = new Date(Date.now() + 5_000);
    fs.utimesSync(dts, later, later);
    const after = await ex.run("import { two } from './helpers';\ntwo()");
    assert.equal(after.reply.status, "ok", JSON.stringify(after.reply));
    assert.equal(after.result, "2");
  });

  it("checks and runs a cell re-run unchanged afresh when what it depends on changed", async () => {
    // The same text each time: only earlier declarations or a file on disk differ between runs.
    const cell = "runs = (typeof runs === 'number' ? runs : 0) + 1;\nshape.size.toFixed(1)";
    await ex.run("var runs: unknown = 0;\nconst shape = { size: 2 };");
    const first = await ex.run(cell);
    assert.equal(first.result, "'2.0'", JSON.stringify(first.reply));
    const again = await ex.run(cell);
    assert.equal(again.result, "'2.0'", JSON.stringify(again.reply));
    assert.equal((await ex.run("runs")).result, "2", "an unchanged cell still runs every time");
    await ex.run("const shape = { size: 'large' };");
    const retyped = await ex.run(cell);
    assert.equal(
      retyped.reply.status,
      "error",
      "the earlier declaration changed type: the same text no longer type-checks",
    );
    assert.equal(retyped.reply.ename, "TypeScriptError");
    assert.match(String(retyped.reply.evalue), /toFixed/);
    assert.equal((await ex.run("runs")).result, "2", "a cell that fails to type-check does not run");

    const dts = path.join(ex.dir, "measure.d.ts");
    fs.writeFileSync(path.join(ex.dir, "measure.js"), "exports.width = () => 3;\n");
    fs.writeFileSync(dts, "export declare function width(): number;\n");
    const onDisk = "import { width } from './measure';\nwidth().toFixed(0)";
    assert.equal((await ex.run(onDisk)).result, "'3'");
    assert.equal((await ex.run(onDisk)).result, "'3'");
    fs.writeFileSync(dts, "export declare function width(): string;\n");
    const later = new Date(Date.now() + 5_000);
    fs.utimesSync(dts, later, later);
    const edited = await ex.run(onDisk);
    assert.equal(
      edited.reply.status,
      "error",
      "the module's declarations changed on disk: the same text is checked again",
    );
    assert.equal(edited.reply.ename, "TypeScriptError");
    assert.match(String(edited.reply.evalue), /toFixed/);
  });

  it("renders objects with a Jupyter display method richly", async () => {
    const r = await ex.run(
      "({ [Symbol.for('Jupyter.display')]() { return { 'text/html': '<b>hi</b>', 'text/plain': 'hi' }; } })",
    );
    const res = r.outputs.find((o) => o.msgType === "execute_result");
    assert.ok(res && res.msgType === "execute_result");
    assert.equal(res.content.data["text/html"], "<b>hi</b>");
  });

  it("shows a cell ending in display(...) once, with no execute_result for the handle", async () => {
    const r = await ex.run("import { display } from 'spindle/display';\ndisplay.html('<i>once</i>')");
    assert.equal(r.reply.status, "ok", JSON.stringify(r.reply));
    assert.equal(r.outputs.filter((o) => o.msgType === "display_data").length, 1);
    assert.equal(r.outputs.filter((o) => o.msgType === "execute_result").length, 0);
    const handle = await ex.run("const h = display.text('kept');\n[typeof h.update, h instanceof Object]");
    assert.equal(handle.result, "[ 'function', true ]", "a handle inside another value is still a value");
  });

  it("evaluates user_expressions", async () => {
    const r = await ex.run("const answer = 42;", { userExpressions: { a: "answer * 2", b: "nope(" } });
    const ue = r.reply.user_expressions as Record<string, { status: string; data?: Record<string, string> }>;
    assert.equal(ue.a!.status, "ok");
    assert.equal(ue.a!.data?.["text/plain"], "84");
    assert.equal(ue.b!.status, "error");
  });
});

describe("executor: magics", { timeout: 60_000 }, () => {
  let ex: ExecutorHarness;
  before(async () => {
    ex = new ExecutorHarness();
    await ex.host.ready;
  });
  after(async () => ex.close());

  it("times a cell with %%time and keeps its names", async () => {
    const r = await ex.run("%%time\nconst timed = [1, 2, 3].reduce((a, b) => a + b);\ntimed");
    assert.equal(r.reply.status, "ok", JSON.stringify(r.reply));
    assert.match(r.stdout + JSON.stringify(r.outputs), /Wall/i);
    const again = await ex.run("timed * 2");
    assert.equal(again.result, "12");
  });

  it("rejects an unknown magic without running the cell", async () => {
    const r = await ex.run("%%nosuchmagic\nconsole.log('ran')");
    assert.equal(r.reply.status, "error");
    assert.equal(r.stdout, "");
    assert.match(String(r.reply.evalue), /%%time/);
  });
});
