import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { startTestKernel, waitFor, type TestKernel } from "../helpers/kernel-harness";

type Content = Record<string, any>;

describe("stdin: input_request round trip (real kernel over ZeroMQ)", { timeout: 120_000 }, () => {
  let tk: TestKernel;
  before(async () => {
    tk = await startTestKernel();
    assert.equal(
      (await tk.client.execute("import { input, getpass } from 'spindle/io';", { timeout: 60 })).status,
      "ok",
    );
  });
  after(async () => {
    await tk?.stop();
  });

  test("input() sends input_request on stdin to the requesting client; the reply comes back", async () => {
    const prompts: [string, boolean][] = [];
    const r = await tk.client.execute("const answer = await input('Your name? '); `hello ${answer}`", {
      timeout: 30,
      onInput: (prompt, password) => {
        prompts.push([prompt, password]);
        return "Ada";
      },
    });
    assert.equal(r.status, "ok");
    assert.deepEqual(prompts, [["Your name? ", false]]);
    assert.equal((r.outputs.at(-1)!.content as Content).data["text/plain"], "'hello Ada'");
    const request = tk.received.find((x) => x.channel === "stdin" && x.message.header.msg_type === "input_request");
    assert.ok(request, "the input_request arrived on stdin");
    assert.equal(
      (request.message.parent_header as Content).msg_id,
      (r.reply.parent_header as Content).msg_id,
      "its parent is the execute_request",
    );
  });

  test("getpass() asks with password: true", async () => {
    let seen: boolean | undefined;
    const r = await tk.client.execute("(await getpass('Secret: ')).length", {
      timeout: 30,
      onInput: (_p, password) => ((seen = password), "s3cret"),
    });
    assert.equal(r.status, "ok");
    assert.equal(seen, true);
    assert.equal((r.outputs.at(-1)!.content as Content).data["text/plain"], "6");
  });

  test("several inputs in one cell are answered in order", async () => {
    const answers = ["1", "2", "3"];
    const r = await tk.client.execute(
      "let total = 0; for (let i = 0; i < 3; i++) total += Number(await input(`n${i}? `)); total",
      {
        timeout: 30,
        onInput: () => answers.shift()!,
      },
    );
    assert.equal((r.outputs.at(-1)!.content as Content).data["text/plain"], "6");
  });

  test("allow_stdin: false makes input() fail clearly instead of hanging", async () => {
    const r = await tk.client.execute("await input('never asked? ')", { allowStdin: false, timeout: 30 });
    assert.equal(r.status, "error");
    assert.ok(
      !tk.received.some((x) => x.channel === "stdin" && (x.message.content as Content).prompt === "never asked? "),
      "no input_request was sent",
    );
    assert.match(String((r.reply.content as Content).evalue), /stdin|input/i);
  });

  test("an interrupted input: the late reply is dropped and the next cell runs", async () => {
    const id = tk.send("shell", "execute_request", {
      code: "await input('waiting... ')",
      silent: false,
      store_history: true,
      user_expressions: {},
      allow_stdin: true,
      stop_on_error: true,
    });
    const request = await waitFor(
      () => tk.received.find((x) => x.channel === "stdin" && (x.message.parent_header as Content).msg_id === id),
      30_000,
      "input_request",
    );
    await tk.client.interrupt();
    const reply = await tk.replyTo(id, 10_000);
    assert.equal((reply.content as Content).status, "error");
    tk.kernel.client.sockets.send(
      "stdin",
      tk.client.factory.message("input_reply", { value: "too late" }, { parent: request.message }),
    );
    await tk.waitForLog(/input_reply matched no open input request/);
    const next = await tk.client.execute("'fine'", { timeout: 30 });
    assert.equal((next.outputs[0]!.content as Content).data["text/plain"], "'fine'");
  });
});
