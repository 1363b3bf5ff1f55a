/** Which lines of a cell are shell commands or magics, and what they are rewritten to (pure, no kernel). */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { applyCaptures, blankMagicLines, rewriteMagicLines } from "../../src/executor/child/magics/lines";

/** The 0-based lines that became calls of the magic host. */
function magicLines(code: string): number[] {
  const out = rewriteMagicLines(code);
  assert.equal(out.code.split("\n").length, code.split("\n").length, "the line count is kept");
  return out.code.split("\n").flatMap((l, i) => (l.includes('require("spindle:magics")') ? [i] : []));
}

describe("magic lines", () => {
  const cases: [string, string, number[]][] = [
    ["a command on its own", "!ls -l", [0]],
    ["commands between statements, indented in a block", "const a = 1;\n!echo a\nif (a) {\n  !echo b\n}\na", [1, 3]],
    ["after a statement ended by a name or a call (automatic semicolon)", "f()\n!ls\nx\n!ls", [1, 3]],
    ["the body of an if without braces", "if (ok)\n  !make", [1]],
    ["not a continuation of an expression", "const both = a &&\n  !b;\nconst c = (\n!d);", []],
    [
      "not inside a template literal, also one with substitutions",
      "const t = `\n!no\n${x}\n!no ${y}\n!no`;\n!yes",
      [5],
    ],
    ["not inside a block comment", "/*\n!no\n%env\n*/\n!yes", [4]],
    [
      "a command's quotes and backticks do not swallow later lines",
      "!echo `date` 'it's\n!echo second\n%pwd",
      [0, 1, 2],
    ],
    ["!= is never a command", "a\n!= b", []],
    ["a regular expression with a backtick does not open a template", "const r = /`/;\n!ls", [1]],
    [
      "known line magics and help; unknown ones are left to the timing magics' error",
      "%env A=1\n%npm?\n%nosuch\n%time f()",
      [0, 1],
    ],
    ["% continuing an expression is the remainder", "const r = 10\n%3", []],
    ["a line magic's value in a declaration", "const here = %pwd", [0]],
    ["help on a cell magic", "%%writefile?", [0]],
  ];
  for (const [what, code, expected] of cases) {
    it(what, () => assert.deepEqual(magicLines(code), expected));
  }

  it("rewrites the text into string arguments, never code", () => {
    const out = rewriteMagicLines('  !echo "${HOME}" `x`\nconst v = %env NAME\n%cd ${nope}');
    assert.deepEqual(out.code.split("\n"), [
      '  await require("spindle:magics").shell("echo \\"${HOME}\\" `x`", false);',
      'const v = (await require("spindle:magics").line("env", "NAME")) as any;',
      'await require("spindle:magics").line("cd", "${nope}");',
    ]);
  });

  it("turns a %%writefile cell into one call with the body as text", () => {
    const out = rewriteMagicLines("%%writefile -a notes.md\n!not a command\n`unclosed");
    assert.deepEqual(out.code.split("\n"), [
      'await require("spindle:magics").writefile("-a notes.md", "!not a command\\n`unclosed");',
      "",
      "",
    ]);
  });

  it("makes const x = !cmd a capture only where the cell does not check as TypeScript", () => {
    const cell = rewriteMagicLines("const a = !ls -l\nconst b = !done");
    assert.deepEqual(
      cell.candidates.map((c) => c.line),
      [0, 1],
    );
    const seen: string[] = [];
    const compile = (code: string) => {
      seen.push(code);
      // As the checker would: line 1 is fine TypeScript (done exists), line 0 is not (ls does not).
      return code.includes("!ls") ? { ok: false, diagnostics: [{ line: 1 }] } : { ok: true };
    };
    assert.deepEqual(applyCaptures(cell.code, cell.candidates, compile), { ok: true });
    assert.equal(seen.length, 2);
    assert.deepEqual(seen[1]!.split("\n"), [
      'const a = (await require("spindle:magics").shell("ls -l", true)) as string[];',
      "const b = !done",
    ]);
  });

  it("blanks magic lines for completion without moving the cursor's text", () => {
    const code = "!ls\n%env X=1\nMath.ma";
    const blank = blankMagicLines(code);
    assert.equal(blank.length, code.length);
    assert.equal(blank, "   \n        \nMath.ma");
  });
});
