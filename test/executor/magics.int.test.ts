/**
 * Shell commands and everyday magics through a real kernel process (ZeroMQ,
 * executor, /bin/sh, npm): `!cmd`, `const x = !cmd`, an interrupted
 * `!sleep 30`, `%npm install` of a local package (and a failing one), `%env`,
 * `%cd`, `%pwd`, `%who`, `%whos`, `%reset`, `%%writefile`, `%load`,
 * `%lsmagic`, `%name?`, and completion of magics. No network: the package is
 * packed by the test from a folder it writes.
 */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import type { JupyterMessage } from "../../src/protocol";
import { startTestKernel, waitFor, type TestKernel } from "../helpers/kernel-harness";
import { descendants, isAlive } from "../helpers/procs";

function streamText(outputs: JupyterMessage[], name: "stdout" | "stderr"): string {
  return outputs
    .filter((m) => m.header.msg_type === "stream" && (m.content as { name: string }).name === name)
    .map((m) => (m.content as { text: string }).text)
    .join("");
}

function resultText(outputs: JupyterMessage[]): string | undefined {
  const r = outputs.find((m) => m.header.msg_type === "execute_result");
  return r ? String((r.content as { data: Record<string, unknown> }).data["text/plain"]) : undefined;
}

/** The command line of a process, "" when it is gone. */
function cmdline(pid: number): string {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").join(" ").trim();
  } catch {
    return "";
  }
}

describe("magics and shell commands through the kernel", { timeout: 300_000 }, () => {
  let tk: TestKernel;
  let dir: string;
  let tarball: string;
  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "spindle-magics-"));
    // A tiny package with types, packed the way npm publishes it.
    const pkg = path.join(dir, "fixture-src");
    fs.mkdirSync(pkg);
    fs.writeFileSync(
      path.join(pkg, "package.json"),
      JSON.stringify({ name: "spindle-fixture-greet", version: "1.0.0", main: "index.js", types: "index.d.ts" }),
    );
    fs.writeFileSync(path.join(pkg, "index.js"), "exports.greet = (n) => 'hello ' + n;\n");
    fs.writeFileSync(path.join(pkg, "index.d.ts"), "export declare function greet(name: string): string;\n");
    const packed = execFileSync("npm", ["pack", "--silent", "--pack-destination", dir], {
      cwd: pkg,
      encoding: "utf8",
      timeout: 60_000,
    })
      .trim()
      .split("\n")
      .at(-1)!;
    tarball = path.join(dir, packed);
    const notebookDir = path.join(dir, "notebook");
    fs.mkdirSync(notebookDir);
    // Offline: a local tarball needs no registry, and the test must not depend on one.
    tk = await startTestKernel({
      cwd: notebookDir,
      env: { ...process.env, npm_config_offline: "true", npm_config_update_notifier: "false" },
    });
  });
  after(async () => {
    await tk.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });
  const notebook = (): string => path.join(dir, "notebook");

  it("runs !cmd in the notebook's folder and streams stdout and stderr while it runs", async () => {
    const code = "!pwd; echo to-stderr >&2; while [ ! -e go-on ]; do sleep 0.05; done; echo second";
    let seen = "";
    const pending = tk.client.execute(code, {
      timeout: 60,
      onOutput: (m) => {
        if (m.header.msg_type === "stream") seen += (m.content as { text: string }).text;
      },
    });
    // The first lines arrive while the command still waits for the file: output is live, not collected at the end.
    await waitFor(
      () => (seen.includes(notebook()) && seen.includes("to-stderr") ? true : undefined),
      30_000,
      "the first lines",
    );
    assert.ok(!seen.includes("second"));
    fs.writeFileSync(path.join(notebook(), "go-on"), "");
    const r = await pending;
    assert.equal(r.status, "ok");
    assert.equal(streamText(r.outputs, "stdout"), `${notebook()}\nsecond\n`);
    assert.equal(streamText(r.outputs, "stderr"), "to-stderr\n");
  });

  it("notes a non-zero exit in one line without failing the cell, and goes on with the next line", async () => {
    const r = await tk.client.execute("!exit 3\nconsole.log('after')", { timeout: 30 });
    assert.equal(r.status, "ok");
    assert.equal(streamText(r.outputs, "stderr"), "[!] `exit 3` exited with status 3\n");
    assert.equal(streamText(r.outputs, "stdout"), "after\n");
  });

  it("captures a command's lines as a string[] with const x = !cmd, and keeps const x = !name TypeScript", async () => {
    const r = await tk.client.execute("const lines = !printf 'a\\nb c\\n'\nlines", { timeout: 30 });
    assert.equal(r.status, "ok", JSON.stringify(r.reply.content));
    assert.equal(resultText(r.outputs), "[ 'a', 'b c' ]");
    const typed = await tk.client.execute("const count: number = lines.length;\nconst wrong: number = lines;", {
      timeout: 30,
    });
    assert.equal(typed.status, "error");
    assert.match(
      String((typed.reply.content as { evalue: string }).evalue),
      /Type 'string\[\]' is not assignable to type 'number'.*line 2/s,
    );
    const negation = await tk.client.execute("const empty = lines.length === 0;\nconst notEmpty = !empty\nnotEmpty", {
      timeout: 30,
    });
    assert.equal(resultText(negation.outputs), "true");
  });

  it("leaves ! alone where it is TypeScript: inside a template, after an operator", async () => {
    const r = await tk.client.execute(
      "const flag = false;\nconst t = `\n!echo not-run\n`;\nconst both = flag ||\n  !flag;\n[t.trim(), both]",
      { timeout: 30 },
    );
    assert.equal(r.status, "ok", JSON.stringify(r.reply.content));
    assert.equal(resultText(r.outputs), "[ '!echo not-run', true ]");
    assert.equal(streamText(r.outputs, "stdout"), "");
  });

  it("stops an interrupted !sleep 30 and its process group; the next cell runs", async () => {
    const pid = tk.kernel.pid!;
    const pending = tk.client.execute("let beforeSleep = 'kept';\n!sleep 30; echo never", { timeout: 60 });
    const sleeper = await waitFor(
      () => descendants(pid).find((p) => cmdline(p) === "sleep 30"),
      30_000,
      "the sleep process",
    );
    await tk.client.interrupt();
    const r = await pending;
    assert.equal(r.status, "error");
    assert.equal((r.reply.content as { ename: string }).ename, "KeyboardInterrupt");
    await waitFor(() => (isAlive(sleeper) ? undefined : true), 10_000, "the sleep process to end");
    assert.ok(!streamText(r.outputs, "stdout").includes("never"));
    const next = await tk.client.execute("beforeSleep", { timeout: 30 });
    assert.equal(resultText(next.outputs), "'kept'");
  });

  it("installs a package with %npm install; the next cell imports it with its types", async () => {
    const r = await tk.client.execute(`%npm install ${tarball}`, { timeout: 120 });
    assert.equal(r.status, "ok", streamText(r.outputs, "stderr"));
    const out = streamText(r.outputs, "stdout");
    assert.match(out, /^Created .*package\.json\nnpm install .*spindle-fixture-greet-1\.0\.0\.tgz in .* …\n/);
    assert.match(out, /npm install finished in [\d.]+ s — import it in the next cell\.\n$/);
    const pkgJson = JSON.parse(fs.readFileSync(path.join(notebook(), "package.json"), "utf8")) as {
      dependencies: Record<string, string>;
    };
    assert.ok(pkgJson.dependencies["spindle-fixture-greet"], "the notebook folder's package.json lists it");
    assert.ok(fs.existsSync(path.join(notebook(), "node_modules", "spindle-fixture-greet", "index.d.ts")));
    const use = await tk.client.execute("import { greet } from 'spindle-fixture-greet';\ngreet('Ada')", {
      timeout: 30,
    });
    assert.equal(resultText(use.outputs), "'hello Ada'");
    const typed = await tk.client.execute("const n: number = greet('x');", { timeout: 30 });
    assert.match(
      String((typed.reply.content as { evalue: string }).evalue),
      /Type 'string' is not assignable to type 'number'/,
    );
  });

  it("shows npm's own error and its exit status when %npm install fails", async () => {
    const missing = path.join(dir, "no-such-package-folder");
    const r = await tk.client.execute(`%npm install ${missing}`, { timeout: 120 });
    assert.equal(r.status, "error");
    const content = r.reply.content as { ename: string; evalue: string };
    assert.equal(content.ename, "NpmError");
    assert.match(
      content.evalue,
      /^npm install .*no-such-package-folder exited with status [1-9]\d* \(npm's own messages are above\)\.$/,
    );
    assert.match(streamText(r.outputs, "stderr"), /npm error .*ENOENT|npm ERR!.*ENOENT/i);
    assert.ok(!fs.existsSync(path.join(notebook(), "node_modules", "no-such-package-folder")));
  });

  it("lists, reads and sets environment variables with %env; !cmd sees them", async () => {
    const set = await tk.client.execute('%env SPINDLE_MAGIC_TEST=forty two\n!echo "$SPINDLE_MAGIC_TEST"', {
      timeout: 30,
    });
    assert.equal(streamText(set.outputs, "stdout"), "env: SPINDLE_MAGIC_TEST=forty two\nforty two\n");
    const one = await tk.client.execute("%env SPINDLE_MAGIC_TEST", { timeout: 30 });
    assert.equal(resultText(one.outputs), "'forty two'");
    const all = await tk.client.execute("const vars = %env\nvars.SPINDLE_MAGIC_TEST", { timeout: 30 });
    assert.equal(resultText(all.outputs), "'forty two'");
  });

  it("changes folder with %cd (and back with %cd -); %pwd and !cmd follow", async () => {
    fs.mkdirSync(path.join(notebook(), "sub"), { recursive: true });
    const r = await tk.client.execute("%cd sub\nconst here = %pwd\n!pwd\n%cd -\n[here, process.cwd()]", {
      timeout: 30,
    });
    assert.equal(r.status, "ok", JSON.stringify(r.reply.content));
    const sub = path.join(notebook(), "sub");
    assert.equal(streamText(r.outputs, "stdout"), `${sub}\n${sub}\n${notebook()}\n`);
    assert.equal(resultText(r.outputs), `[ '${sub}', '${notebook()}' ]`);
    const bad = await tk.client.execute("%cd no-such-folder", { timeout: 30 });
    assert.match(
      String((bad.reply.content as { evalue: string }).evalue),
      /cannot enter .*no-such-folder \(no such folder\)/,
    );
  });

  it("lists earlier names with %who and a table of their TypeScript types with %whos; %reset -f forgets them", async () => {
    await tk.client.execute("%reset -f", { timeout: 30 });
    await tk.client.execute(
      "let total = 3;\nconst label: string = 'x';\nfunction twice(n: number): number { return 2 * n; }",
      { timeout: 30 },
    );
    const who = await tk.client.execute("%who", { timeout: 30 });
    assert.equal(streamText(who.outputs, "stdout"), "total\tlabel\ttwice\n");
    const whos = await tk.client.execute("%whos", { timeout: 30 });
    const display = whos.outputs.find((m) => m.header.msg_type === "display_data")?.content as {
      data: Record<string, string>;
    };
    assert.ok(display.data["text/html"]?.includes("<table"));
    const text = display.data["text/plain"] ?? "";
    assert.match(text, /^Name\s+Kind\s+Type\s+Value/);
    assert.match(text, /total\s+let\s+number\s+3/);
    assert.match(text, /label\s+const\s+string\s+'x'/);
    assert.match(text, /twice\s+function\s+\(n: number\) => number/);
    const reset = await tk.client.execute("%reset -f", { timeout: 30 });
    assert.equal(streamText(reset.outputs, "stdout"), "Forgot 3 names.\n");
    const gone = await tk.client.execute("total", { timeout: 30 });
    assert.match(String((gone.reply.content as { evalue: string }).evalue), /Cannot find name 'total'/);
    const asks = await tk.client.execute("let again = 1;\n%reset", { timeout: 30, onInput: () => "n" });
    assert.equal(streamText(asks.outputs, "stdout"), "Nothing done.\n");
    const noInput = await tk.client.execute("%reset", { timeout: 30 });
    assert.match(String((noInput.reply.content as { evalue: string }).evalue), /use %reset -f/);
  });

  it("writes a cell with %%writefile (-a appends) and loads a file into the cell with %load", async () => {
    const w = await tk.client.execute("%%writefile helper.ts\nconst fromFile = 6 * 7;\n`${'$'}{untouched}`", {
      timeout: 30,
    });
    assert.equal(streamText(w.outputs, "stdout"), "Writing helper.ts\n");
    const a = await tk.client.execute("%%writefile -a helper.ts\nfromFile", { timeout: 30 });
    assert.equal(streamText(a.outputs, "stdout"), "Appending to helper.ts\n");
    assert.equal(
      fs.readFileSync(path.join(notebook(), "helper.ts"), "utf8"),
      "const fromFile = 6 * 7;\n`${'$'}{untouched}`\nfromFile\n",
    );
    const l = await tk.client.execute("%load helper.ts", { timeout: 30 });
    assert.equal(l.status, "ok");
    const payload = (l.reply.content as { payload: Array<Record<string, unknown>> }).payload;
    assert.deepEqual(payload, [
      {
        source: "set_next_input",
        text: "// %load helper.ts\nconst fromFile = 6 * 7;\n`${'$'}{untouched}`\nfromFile\n",
        replace: true,
      },
    ]);
    const run = await tk.client.execute(String(payload[0]!.text), { timeout: 30 });
    assert.equal(resultText(run.outputs), "42");
    const missing = await tk.client.execute("%load nothing-here.ts", { timeout: 30 });
    assert.match(
      String((missing.reply.content as { evalue: string }).evalue),
      /cannot read .*nothing-here\.ts \(no such file\)/,
    );
  });

  it("lists magics, shows a magic's help as a page, and never type-checks a magic line", async () => {
    const ls = await tk.client.execute("%lsmagic", { timeout: 30 });
    const text = streamText(ls.outputs, "stdout");
    for (const name of [
      "%cd",
      "%env",
      "%load",
      "%npm",
      "%pwd",
      "%reset",
      "%who",
      "%whos",
      "%time",
      "%%writefile",
      "%%timeline",
      "!COMMAND",
    ])
      assert.ok(text.includes(name), name);
    const help = await tk.client.execute("%npm?", { timeout: 30 });
    const page = (help.reply.content as { payload: Array<{ source: string; data: Record<string, string> }> })
      .payload[0];
    assert.equal(page?.source, "page");
    assert.match(page?.data["text/plain"] ?? "", /^%npm install PKG/);
    const all = streamText((await tk.client.execute("%magic", { timeout: 30 })).outputs, "stdout");
    for (const usage of ["%cd [DIR | - | ~]", "%%writefile [-a] PATH", "%timeit [-n N]", "const x = !COMMAND"])
      assert.ok(all.includes(usage), usage);
    const inspectId = tk.send("shell", "inspect_request", { code: "%whos", cursor_pos: 2, detail_level: 0 });
    const inspected = (await tk.replyTo(inspectId)).content as { found: boolean; data: Record<string, string> };
    assert.equal(inspected.found, true);
    assert.match(inspected.data["text/plain"] ?? "", /^%whos\n\na table of the names/);
    const unchecked = await tk.client.execute("%env NOT_TS=${nothing} + 'x' as number", { timeout: 30 });
    assert.equal(unchecked.status, "ok");
    assert.equal(streamText(unchecked.outputs, "stdout"), "env: NOT_TS=${nothing} + 'x' as number\n");
    const unknown = await tk.client.execute("%nosuchmagic", { timeout: 30 });
    assert.match(
      String((unknown.reply.content as { evalue: string }).evalue),
      /Unknown magic %nosuchmagic.*%lsmagic lists every magic/,
    );
  });

  it("completes magic names on Tab and TypeScript around magic lines", async () => {
    const complete = async (code: string): Promise<{ matches: string[] }> => {
      const id = tk.send("shell", "complete_request", { code, cursor_pos: [...code].length });
      return (await tk.replyTo(id)).content as { matches: string[] };
    };
    assert.deepEqual((await complete("%en")).matches, ["%env"]);
    assert.deepEqual((await complete("%%wr")).matches, ["%%writefile"]);
    assert.deepEqual((await complete("const p = %pw")).matches, ["%pwd"]);
    assert.ok((await complete("!ls\nMath.ma")).matches.includes("max"));
    // Paths after %cd (folders only), %load and %%writefile, from the working directory.
    fs.mkdirSync(path.join(notebook(), "completion-dir"), { recursive: true });
    fs.writeFileSync(path.join(notebook(), "completion-file.ts"), "");
    assert.deepEqual((await complete("%cd completion-")).matches, ["completion-dir/"]);
    assert.deepEqual((await complete("%load completion-")).matches, ["completion-dir/", "completion-file.ts"]);
    assert.deepEqual((await complete("%%writefile -a completion-f")).matches, ["completion-file.ts"]);
    const id = tk.send("shell", "is_complete_request", { code: "!echo 'unbalanced" });
    assert.equal(((await tk.replyTo(id)).content as { status: string }).status, "complete");
  });
});
