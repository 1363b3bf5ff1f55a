import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import path from "node:path";
import { writeNotebook } from "./notebook-server";
import { dragSlider, LabSession, type LabWindow } from "./lab-session";

const CELLS = [
  `import { Thread } from "spindle/threading";\nconst kept = 42;`,
  "",
  "",
  "while (true) {}",
  "kept",
  `import { IntSlider, interact } from "spindle/widgets";\nconst s = new IntSlider({ value: 2, min: 1, max: 8, description: "n" });\ns`,
  "await interact(({ threads }) => console.log(`redrawn with ${threads} threads`), { threads: [1, 8] });",
  "s.value",
  `import { timeline, track } from "spindle/timing";\nconst pause = (ms: number) => new Promise((done) => setTimeout(done, ms));\n` +
    `await timeline(() => Promise.all([track("task A", () => pause(80)), track("task B", () => pause(160))]), { title: "Two tasks" })`,
];

describe("JupyterLab 4 with ipywidgets 8: completion, help, interrupt, restart, widgets, Vega-Lite", {
  timeout: 600_000,
}, () => {
  let lab: LabSession;
  before(async () => {
    lab = await LabSession.start();
    writeNotebook(path.join(lab.server.notebookDir, "tools.ipynb"), CELLS);
    await lab.open("tools.ipynb");
    await lab.runCell(0);
  });
  after(async () => {
    await lab?.stop();
  });

  test("Math.ma + Tab opens the completer with max", async () => {
    const page = lab.page;
    await lab.cell(1).locator(".cm-content").click();
    await page.keyboard.type("Math.ma");
    await page.keyboard.press("Tab");
    const completer = page.locator(".jp-Completer");
    await completer.waitFor({ state: "visible", timeout: 30_000 });
    const items = await completer.locator(".jp-Completer-item .jp-Completer-match").allInnerTexts();
    assert.ok(
      items.some((t) => t.trim() === "max"),
      `completer items: ${items.join(", ")}`,
    );
    await lab.shot("completer");
    await page.keyboard.press("Escape");
  });

  test("Shift+Tab on a Spindle name shows its documentation", async () => {
    const page = lab.page;
    await lab.cell(2).locator(".cm-content").click();
    await page.keyboard.type("Thread");
    await page.keyboard.press("Shift+Tab");
    const tooltip = page.locator(".jp-Tooltip");
    await tooltip
      .getByText(/thread of execution on its own worker thread/)
      .first()
      .waitFor({ timeout: 30_000 });
    await lab.shot("tooltip");
    await page.keyboard.press("Escape");
  });

  test("the toolbar's interrupt stops a busy loop; an earlier variable is still there", async () => {
    const page = lab.page;
    await lab.select(3);
    await lab.command("notebook:run-cell");
    await page.waitForFunction(
      () =>
        (globalThis as unknown as LabWindow).jupyterapp.shell.currentWidget?.sessionContext?.session?.kernel?.status ===
        "busy",
      undefined,
      { timeout: 30_000 },
    );
    await page.locator('.jp-NotebookPanel-toolbar [data-command="notebook:interrupt-kernel"]').click();
    await lab.cell(3).locator(".jp-OutputArea-output").first().waitFor({ timeout: 30_000 });
    assert.match(await lab.cell(3).locator(".jp-OutputArea").innerText(), /interrupted/i);
    await lab.kernelIdle(30_000);
    await lab.runCell(4);
    assert.equal((await lab.cell(4).locator(".jp-OutputArea-output").innerText()).trim(), "42");
    await lab.shot("interrupt");
  });

  test("the toolbar's restart gives a fresh kernel that answers", async () => {
    const page = lab.page;
    await page.evaluate(() => {
      const seen: string[] = ((globalThis as unknown as { __statuses: string[] }).__statuses = []);
      (globalThis as unknown as LabWindow).jupyterapp.shell.currentWidget!.sessionContext!.statusChanged.connect(
        (_s, status) => void seen.push(status),
      );
    });
    await page.locator('.jp-NotebookPanel-toolbar [data-command="notebook:restart-kernel"]').click();
    await page.locator(".jp-Dialog .jp-mod-accept").click();
    await page.waitForFunction(
      () => (globalThis as unknown as { __statuses: string[] }).__statuses.includes("restarting"),
      undefined,
      { timeout: 30_000 },
    );
    await lab.kernelIdle(120_000);
    await lab.runCell(4);
    assert.match(
      await lab.cell(4).locator(".jp-OutputArea").innerText(),
      /Cannot find name 'kept'/,
      "the restarted kernel has no `kept`",
    );
    await lab.shot("restart");
  });

  test("a dragged slider changes the kernel-side value; interact redraws its output", async () => {
    const page = lab.page;
    await lab.runCell(5);
    await lab.cell(5).locator(".noUi-handle").waitFor({ timeout: 30_000 });
    await dragSlider(page, lab.cell(5), 1);
    const shown = Number((await lab.cell(5).locator(".widget-readout").innerText()).trim());
    assert.ok(shown > 2, `the slider moved right (the page shows ${shown})`);
    // The page throttles updates while a message is in flight: the last one may reach the kernel
    // after the next execute request, so ask until the kernel has it (or give up after 20 s).
    let kernelSide = Number.NaN;
    for (const deadline = Date.now() + 20_000; kernelSide !== shown && Date.now() < deadline; ) {
      await lab.runCell(7);
      kernelSide = Number((await lab.cell(7).locator(".jp-OutputArea-output").innerText()).trim());
    }
    assert.equal(kernelSide, shown, "the kernel holds the value the page shows");

    await lab.runCell(6);
    const out = lab.cell(6).locator(".widget-output");
    await out.getByText("redrawn with 4 threads").waitFor({ timeout: 30_000 });
    await dragSlider(page, lab.cell(6), 1);
    await out.getByText("redrawn with 8 threads").waitFor({ timeout: 30_000 });
    assert.doesNotMatch(await out.innerText(), /with 4 threads/, "the output was cleared before the redraw");
    await lab.shot("widgets");
  });

  test("a timeline renders as a Vega-Lite chart", async () => {
    await lab.runCell(8);
    const chart = lab.cell(8).locator(".vega-embed");
    await chart.waitFor({ timeout: 30_000 });
    const box = await chart.locator("canvas, svg").first().boundingBox();
    assert.ok(box && box.width > 100 && box.height > 20, `chart box ${JSON.stringify(box)}`);
    // Hovering a bar shows Vega's tooltip with the thread, state, start and duration.
    const tip = lab.page.locator("#vg-tooltip-element");
    let text = "";
    for (let fy = 0.15; fy < 0.8 && !/thread/.test(text); fy += 0.05) {
      await lab.page.mouse.move(box.x + box.width * 0.3, box.y + box.height * fy);
      text = (await tip.isVisible()) ? await tip.innerText() : "";
    }
    assert.match(text, /thread:\s+task [AB]/);
    assert.match(text, /state:\s+running/);
    assert.match(text, /start \(s\):\s+0\.\d{3}/);
    assert.match(text, /duration \(s\):\s+0\.\d{3}/);
    await lab.shot("vega-lite");
  });
});
