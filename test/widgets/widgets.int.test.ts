import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import type { JupyterMessage } from "../../src/protocol";
import { startTestKernel, waitFor, type TestKernel } from "../helpers/kernel-harness";
import { THREAD_SLIDER_CELL } from "./chapter-cell";

type Content = Record<string, any>;

/** Comms and widgets driven the way JupyterLab's widget manager drives them, over real ZeroMQ. */
describe("comms and widgets (real kernel over ZeroMQ)", { timeout: 180_000 }, () => {
  let tk: TestKernel;
  before(async () => {
    tk = await startTestKernel();
  });
  after(async () => {
    await tk?.stop();
  });

  /** Sends a comm message as a frontend does (on shell, with binary buffers); resolves once the kernel is idle again. */
  async function frontend(
    msgType: string,
    content: Content,
    buffers: Buffer[] = [],
    metadata: Content = {},
  ): Promise<JupyterMessage[]> {
    const message = tk.client.factory.message(msgType, content, { buffers, metadata });
    tk.client.sockets.send("shell", message);
    await tk.idleFor(message.header.msg_id);
    tk.assertBusyIdle(message.header.msg_id);
    return tk.iopubFor(message.header.msg_id);
  }

  async function run(code: string): Promise<JupyterMessage[]> {
    const r = await tk.client.execute(code, { timeout: 60 });
    const errors = r.outputs.filter((m) => m.header.msg_type === "error").map((m) => (m.content as Content).evalue);
    assert.equal(r.status, "ok", `cell failed: ${errors.join("; ")}`);
    return r.iopub;
  }

  async function value(expr: string): Promise<string> {
    const r = await tk.client.execute(expr, { timeout: 60 });
    const result = r.outputs.find((m) => m.header.msg_type === "execute_result");
    assert.ok(result, `no result for ${expr}: ${JSON.stringify(r.outputs.map((m) => m.content))}`);
    return (result.content as Content).data["text/plain"] as string;
  }

  const ofType = (msgs: JupyterMessage[], type: string): JupyterMessage[] =>
    msgs.filter((m) => m.header.msg_type === type);
  const stdout = (msgs: JupyterMessage[]): string =>
    ofType(msgs, "stream")
      .map((m) => (m.content as Content).text)
      .join("");

  test("a comm opened by the frontend: target handler, messages with buffers both ways, comm_info, close", async () => {
    await run(`import { registerTarget } from "spindle/comm";
globalThis.__closed = "no";
registerTarget("test.echo", (comm, opening) => {
  console.log("opened with", JSON.stringify(opening.data));
  comm.onMessage((msg) => comm.send({ got: msg.data, sizes: msg.buffers.map((b) => b.length) }, { buffers: msg.buffers.map((b) => Uint8Array.from(b).reverse()) }));
  comm.onClose(() => { globalThis.__closed = "yes"; });
});`);
    const opened = await frontend("comm_open", { comm_id: "echo-1", target_name: "test.echo", data: { hello: 1 } });
    assert.match(stdout(opened), /opened with {"hello":1}/, "handler output has the comm_open as parent");
    assert.equal(ofType(opened, "comm_close").length, 0);

    const info = await tk.client.request("shell", "comm_info_request", { target_name: "test.echo" });
    assert.deepEqual((info.content as Content).comms, { "echo-1": { target_name: "test.echo" } });
    const none = await tk.client.request("shell", "comm_info_request", { target_name: "other" });
    assert.deepEqual((none.content as Content).comms, {});

    const replies = ofType(
      await frontend("comm_msg", { comm_id: "echo-1", data: { n: 2 } }, [Buffer.from([1, 2, 3])]),
      "comm_msg",
    );
    assert.equal(replies.length, 1);
    assert.deepEqual((replies[0]!.content as Content).data, { got: { n: 2 }, sizes: [3] });
    assert.deepEqual([...replies[0]!.buffers[0]!], [3, 2, 1], "binary buffers travel as extra frames");

    await frontend("comm_close", { comm_id: "echo-1", data: {} });
    assert.equal(await value("globalThis.__closed"), "'yes'");
    const after = await tk.client.request("shell", "comm_info_request", {});
    assert.deepEqual((after.content as Content).comms, {});
  });

  test("a comm opened by the kernel: comm_open under the cell, send with buffers, close", async () => {
    const iopub = await run(`import { openComm } from "spindle/comm";
const kc = openComm("front.target", { a: 1 }, { buffers: [new Uint8Array([9, 8])] });
kc.send({ b: 2 });
kc.close({ bye: true });
kc.closed`);
    const [open] = ofType(iopub, "comm_open");
    assert.ok(open);
    assert.equal((open.content as Content).target_name, "front.target");
    assert.deepEqual((open.content as Content).data, { a: 1 });
    assert.deepEqual([...open.buffers[0]!], [9, 8]);
    const id = (open.content as Content).comm_id;
    assert.deepEqual(
      ofType(iopub, "comm_msg").map((m) => m.content),
      [{ comm_id: id, data: { b: 2 } }],
    );
    assert.deepEqual(
      ofType(iopub, "comm_close").map((m) => m.content),
      [{ comm_id: id, data: { bye: true } }],
    );
    const err = await tk.client.execute("kc.send({ late: true })", { timeout: 30 });
    assert.equal(err.status, "error");
    assert.match(JSON.stringify(err.reply.content), /CommError.*closed/);
  });

  test("an IntSlider: comm_open with the ipywidgets 8 state, a widget-view display, frontend updates echoed and observed", async () => {
    const iopub = await run(`import { IntSlider } from "spindle/widgets";
import { display } from "spindle/display";
const slider = new IntSlider({ value: 3, min: 1, max: 8, description: "threads" });
const seen: number[] = [];
slider.observe((c) => { seen.push(c.new as number); console.log("observed", c.name, c.old, "->", c.new); }, "value");
display(slider);`);
    const opens = ofType(iopub, "comm_open").map((m) => m.content as Content);
    const sliderOpen = opens.find((c) => c.data.state._model_name === "IntSliderModel");
    assert.ok(sliderOpen, JSON.stringify(opens));
    assert.equal(sliderOpen.target_name, "jupyter.widget");
    const state = sliderOpen.data.state;
    assert.equal(state._model_module, "@jupyter-widgets/controls");
    assert.equal(state._model_module_version, "2.0.0");
    assert.equal(state._view_name, "IntSliderView");
    assert.deepEqual([state.value, state.min, state.max, state.description], [3, 1, 8, "threads"]);
    const layoutId = String(state.layout).replace("IPY_MODEL_", "");
    const layoutOpen = opens.find((c) => c.comm_id === layoutId);
    assert.equal(layoutOpen?.data.state._model_name, "LayoutModel", "layout references an opened LayoutModel");
    assert.equal(
      opens.find((c) => `IPY_MODEL_${c.comm_id}` === state.style)?.data.state._model_name,
      "SliderStyleModel",
    );
    const openMsg = ofType(iopub, "comm_open").find((m) => (m.content as Content).comm_id === sliderOpen.comm_id)!;
    assert.equal(openMsg.metadata.version, "2.1.0");
    const [shown] = ofType(iopub, "display_data");
    const data = (shown!.content as Content).data;
    assert.deepEqual(data["application/vnd.jupyter.widget-view+json"], {
      version_major: 2,
      version_minor: 0,
      model_id: sliderOpen.comm_id,
    });
    assert.match(data["text/plain"], /^IntSlider\(value=3, min=1, max=8, description="threads"\)$/);

    const id = sliderOpen.comm_id;
    const handled = await frontend("comm_msg", {
      comm_id: id,
      data: { method: "update", state: { value: 6 }, buffer_paths: [] },
    });
    const echo = ofType(handled, "comm_msg").map((m) => (m.content as Content).data);
    assert.deepEqual(
      echo[0],
      { method: "echo_update", state: { value: 6 }, buffer_paths: [] },
      "the frontend's change is echoed first",
    );
    assert.equal(echo.length, 1, "the kernel does not send the frontend's own value back as an update");
    assert.match(stdout(handled), /observed value 3 -> 6/);
    assert.equal(await value("slider.value"), "6");

    const set = await run("slider.value = 42;");
    const updates = ofType(set, "comm_msg").map((m) => (m.content as Content).data);
    assert.deepEqual(
      updates,
      [{ method: "update", state: { value: 8 }, buffer_paths: [] }],
      "clamped into [min, max] and sent",
    );
    assert.equal(await value("JSON.stringify(seen)"), "'[6,8]'");

    const requested = ofType(
      await frontend("comm_msg", { comm_id: id, data: { method: "request_state" } }),
      "comm_msg",
    );
    const full = (requested[0]!.content as Content).data;
    assert.equal(full.method, "update");
    assert.equal(full.state.value, 8);
    assert.equal(full.state._model_name, "IntSliderModel");
  });

  test("Button clicks, Dropdown values, link, and the control comm's request_states", async () => {
    const iopub = await run(`import { Button, Dropdown, IntSlider, link } from "spindle/widgets";
const button = new Button({ description: "go" });
let clicks = 0;
button.onClick(() => { clicks++; });
const choice = new Dropdown({ options: [["one", 1], ["two", 2], ["three", 3]], value: 2 });
const a = new IntSlider({ value: 1 });
const b = new IntSlider({ value: 5 });
link([a, "value"], [b, "value"]);
JSON.stringify([choice.value, choice.label, b.value])`);
    const result = ofType(iopub, "execute_result")[0]!;
    assert.equal((result.content as Content).data["text/plain"], `'[2,"two",1]'`);
    const models = new Map(
      ofType(iopub, "comm_open").map((m) => [(m.content as Content).data.state._model_name, m.content as Content]),
    );
    const dropdown = models.get("DropdownModel")!;
    assert.deepEqual(dropdown.data.state._options_labels, ["one", "two", "three"]);
    assert.equal(dropdown.data.state.index, 1);

    await frontend("comm_msg", {
      comm_id: models.get("ButtonModel")!.comm_id,
      data: { method: "custom", content: { event: "click" } },
    });
    await frontend("comm_msg", {
      comm_id: dropdown.comm_id,
      data: { method: "update", state: { index: 2 }, buffer_paths: [] },
    });
    assert.equal(await value("JSON.stringify([clicks, choice.value, choice.label])"), `'[1,3,"three"]'`);

    const linked = await run("a.value = 77;");
    const sent = ofType(linked, "comm_msg").map((m) => (m.content as Content).data.state?.value);
    assert.deepEqual(sent, [77, 77], "both linked sliders are updated");

    const opened = await frontend(
      "comm_open",
      { comm_id: "control-1", target_name: "jupyter.widget.control", data: {} },
      [],
      { version: "1.0.0" },
    );
    assert.equal(ofType(opened, "comm_close").length, 0);
    const states = ofType(
      await frontend("comm_msg", { comm_id: "control-1", data: { method: "request_states" } }),
      "comm_msg",
    );
    const reply = (states[0]!.content as Content).data;
    assert.equal(reply.method, "update_states");
    const byName = Object.values(reply.states as Record<string, Content>).map((s) => s.model_name);
    for (const name of ["ButtonModel", "DropdownModel", "IntSliderModel", "LayoutModel"])
      assert.ok(byName.includes(name), name);
  });

  test("interact builds controls and an Output, and reruns into it when a slider moves", async () => {
    const iopub = await run(`import { interact } from "spindle/widgets";
const ui = await interact(({ threads, size }) => console.log(\`threads=\${threads} size=\${size}\`), { threads: [1, 8], size: [1, 100] });`);
    const opens = ofType(iopub, "comm_open").map((m) => m.content as Content);
    const sliders = opens.filter((c) => c.data.state._model_name === "IntSliderModel");
    assert.deepEqual(
      sliders.map((s) => [s.data.state.description, s.data.state.min, s.data.state.max]),
      [
        ["threads", 1, 8],
        ["size", 1, 100],
      ],
    );
    const output = opens.find((c) => c.data.state._model_name === "OutputModel")!;
    assert.equal(output.data.state._model_module, "@jupyter-widgets/output");
    const cellId = iopub[0]!.parent_header as { msg_id: string };
    // The first run: msg_id set to the cell's request, the print, msg_id cleared — in this order.
    const trail = iopub
      .filter(
        (m) =>
          (m.header.msg_type === "comm_msg" && (m.content as Content).comm_id === output.comm_id) ||
          m.header.msg_type === "stream",
      )
      .map((m) =>
        m.header.msg_type === "stream" ? (m.content as Content).text.trim() : (m.content as Content).data.state.msg_id,
      );
    assert.deepEqual(trail, [cellId.msg_id, "threads=4 size=50", ""]);

    const threads = sliders[0]!.comm_id;
    const moved = await frontend("comm_msg", {
      comm_id: threads,
      data: { method: "update", state: { value: 6 }, buffer_paths: [] },
    });
    const movedId = (moved[0]!.parent_header as { msg_id: string }).msg_id;
    const steps = moved
      .filter((m) => m.header.msg_type !== "status")
      .map((m) => {
        const c = m.content as Content;
        if (m.header.msg_type === "stream") return `print:${c.text.trim()}`;
        if (m.header.msg_type === "clear_output") return `clear:${c.wait}`;
        return `${c.data.method}:${JSON.stringify(c.data.state)}`;
      });
    assert.deepEqual(steps, [
      `echo_update:{"value":6}`,
      `update:{"msg_id":"${movedId}"}`,
      "clear:true",
      "print:threads=6 size=50",
      `update:{"msg_id":""}`,
    ]);
    assert.equal(await value("JSON.stringify(ui.values)"), `'{"threads":6,"size":50}'`);
  });

  test("an observer stuck in a busy loop is interrupted like a cell; the kernel answers again", async () => {
    const iopub = await run(`import { IntSlider } from "spindle/widgets";
const stuck = new IntSlider({ value: 1 });
stuck.observe(() => { while (true) {} }, "value");`);
    const id = ofType(iopub, "comm_open")
      .map((m) => m.content as Content)
      .find((c) => c.data.state._model_name === "IntSliderModel")!.comm_id;
    const message = tk.client.factory.message("comm_msg", {
      comm_id: id,
      data: { method: "update", state: { value: 5 }, buffer_paths: [] },
    });
    tk.client.sockets.send("shell", message);
    const msgId = message.header.msg_id;
    // The echo goes out before observers run: once it is here, the observer is spinning.
    await waitFor(() => tk.iopubFor(msgId).find((m) => m.header.msg_type === "comm_msg"), 30_000, "echo_update");
    await tk.client.interrupt();
    await tk.idleFor(msgId, 30_000);
    const errors = ofType(tk.iopubFor(msgId), "error").map((m) => (m.content as Content).ename);
    assert.deepEqual(errors, ["KeyboardInterrupt"], "the interrupt ends the handler and shows where its output goes");
    assert.equal(await value("stuck.value"), "5");
  });

  test("bad widget options are clear errors", async () => {
    const r = await tk.client.execute(
      `import { IntSlider } from "spindle/widgets";\nnew IntSlider({ vaule: 3 } as any)`,
      { timeout: 30 },
    );
    assert.equal(r.status, "error");
    const c = r.reply.content as Content;
    assert.equal(c.ename, "WidgetError");
    assert.match(c.evalue, /IntSlider has no property "vaule"; it has: .*value/);
    const f = await tk.client.execute(`new IntSlider({ value: 2.5 })`, { timeout: 30 });
    assert.match((f.reply.content as Content).evalue, /IntSlider.value must be an integer, got 2.5/);
    await waitFor(() => (tk.invalid.length === 0 ? true : undefined), 1000, "valid messages");
  });
});

describe("the chapter cell: a thread-count slider redraws a timeline and a timing table", { timeout: 180_000 }, () => {
  let tk: TestKernel;
  before(async () => {
    tk = await startTestKernel({ env: { ...process.env, SPINDLE_TIME_SCALE: "0.1" } });
  });
  after(async () => {
    await tk?.stop();
  });

  test("the first run draws 4 threads; moving the slider to 2 redraws both into the Output", async () => {
    const r = await tk.client.execute(THREAD_SLIDER_CELL, { timeout: 120 });
    assert.equal(
      r.status,
      "ok",
      JSON.stringify(r.outputs.filter((m) => m.header.msg_type === "error").map((m) => m.content)),
    );
    const opens = r.iopub.filter((m) => m.header.msg_type === "comm_open").map((m) => m.content as Content);
    const slider = opens.find((c) => c.data.state._model_name === "IntSliderModel")!;
    assert.deepEqual([slider.data.state.description, slider.data.state.value], ["threads", 4]);
    const charts = (msgs: JupyterMessage[]) =>
      msgs.filter((m) => m.header.msg_type === "display_data").map((m) => (m.content as Content).data);
    const first = charts(r.iopub);
    const firstTimeline = first.find((d) => d["application/vnd.vegalite.v5+json"] && d["image/svg+xml"]);
    assert.ok(firstTimeline, "a timeline with SVG and Vega-Lite");
    assert.match(firstTimeline["text/plain"], /on 4 thread\(s\)/);
    assert.ok(
      first.some((d) => /4 threads/.test(String(d["text/html"] ?? ""))),
      "a timing table with the 4-thread row",
    );

    const message = tk.client.factory.message("comm_msg", {
      comm_id: slider.comm_id,
      data: { method: "update", state: { value: 2 }, buffer_paths: [] },
    });
    tk.client.sockets.send("shell", message);
    await tk.idleFor(message.header.msg_id, 120_000);
    const redraw = tk.iopubFor(message.header.msg_id);
    assert.ok(
      redraw.some((m) => m.header.msg_type === "clear_output"),
      "the Output is cleared first",
    );
    const again = charts(redraw);
    assert.ok(
      again.some((d) => /on 2 thread\(s\)/.test(String(d["text/plain"])) && d["image/svg+xml"]),
      "the timeline is redrawn for 2 threads",
    );
    assert.ok(
      again.some((d) => /2 threads/.test(String(d["text/html"] ?? ""))),
      "the timing table is redrawn",
    );
    const lanes = (
      again.find((d) => d["application/vnd.vegalite.v5+json"] && d["image/svg+xml"])![
        "application/vnd.vegalite.v5+json"
      ] as Content
    ).layer[0].data.values.map((v: Content) => v.thread);
    assert.deepEqual([...new Set(lanes)].filter((l) => String(l).startsWith("worker")).sort(), [
      "worker 1",
      "worker 2",
    ]);
  });
});
