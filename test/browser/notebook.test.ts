import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { chromium, type BrowserContext, type Page } from "playwright-core";
import { descendants, waitAllDead } from "../helpers/procs";
import { startNotebookServer, writeNotebook, type NotebookServer } from "./notebook-server";

/** The little of the DOM this test touches inside the page (the project compiles without DOM types). */
interface BrowserDocument {
  document: { querySelectorAll(selector: string): { length: number } };
}

const OUTPUT_DIR = path.resolve(__dirname, "..", "..", "..", "test-output");
const CHROMIUM_FLAGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
];

const CELL = `import { compare, timeline, track } from "spindle/timing";
import { display } from "spindle/display";
const pause = (ms: number) => new Promise((done) => setTimeout(done, ms));
display(await compare({
  "one after another": async () => { await pause(30); await pause(30); },
  "both at once": () => Promise.all([pause(30), pause(30)]),
}, { repeat: 2, title: "Two waits" }));
await timeline(() => Promise.all([track("task A", () => pause(60)), track("task B", () => pause(90))]), { title: "Two tasks" })`;

describe("classic Notebook 6 in headless Chromium renders Spindle's tables and charts", { timeout: 240_000 }, () => {
  let server: NotebookServer | undefined;
  let context: BrowserContext | undefined;
  let page: Page;
  let serverPid = 0;

  before(async () => {
    server = await startNotebookServer();
    serverPid = server.process.pid ?? 0;
    writeNotebook(path.join(server.notebookDir, "demo.ipynb"), [CELL]);
    context = await chromium.launchPersistentContext(path.join(server.tmp, "chromium-profile"), {
      executablePath: "/usr/bin/chromium",
      headless: true,
      args: CHROMIUM_FLAGS,
      viewport: { width: 1100, height: 1400 },
    });
    page = context.pages()[0] ?? (await context.newPage());
  });

  after(async () => {
    await context?.close();
    const kernels = serverPid ? descendants(serverPid) : [];
    await server?.stop();
    const gone = await waitAllDead(kernels, 20_000);
    server?.cleanup();
    assert.ok(gone, `processes left behind by the notebook server: ${kernels.join(", ")}`);
  });

  test("a compare table and a timeline chart appear in the DOM; screenshot saved", async () => {
    const s = server as NotebookServer;
    await page.goto(`${s.url}/notebooks/demo.ipynb?token=${s.token}`, { waitUntil: "load", timeout: 60_000 });
    await page.waitForFunction(
      () => {
        const j = (
          globalThis as unknown as {
            Jupyter?: { notebook?: { kernel?: { is_connected(): boolean; info_reply?: unknown } } };
          }
        ).Jupyter;
        return j?.notebook?.kernel?.is_connected() === true && j.notebook.kernel.info_reply !== undefined;
      },
      undefined,
      { timeout: 90_000 },
    );
    await page.evaluate(() =>
      (
        globalThis as unknown as { Jupyter: { notebook: { execute_all_cells(): void } } }
      ).Jupyter.notebook.execute_all_cells(),
    );
    const area = page.locator(".output_area");
    await page.waitForFunction(
      () =>
        (globalThis as unknown as BrowserDocument).document.querySelectorAll(".output_area svg rect.bar.running")
          .length > 0,
      undefined,
      { timeout: 90_000 },
    );
    assert.equal(
      await page.locator(".output_area .output_error").count(),
      0,
      await area.allInnerTexts().then((t) => t.join("\n")),
    );

    const rows = await page.locator(".output_area table.spindle-table tbody tr").allInnerTexts();
    assert.equal(rows.length, 2);
    assert.match(rows[0] ?? "", /one after another/);
    assert.match(rows[1] ?? "", /both at once/);
    const headers = await page.locator(".output_area table.spindle-table th").allInnerTexts();
    assert.deepEqual(
      headers.map((h) => h.trim()),
      ["variant", "median wall", "min", "max", "CPU time", "CPU/wall", "speedup vs one after another"],
    );
    assert.equal(await page.locator(".output_area .spindle-compare svg rect.bar").count(), 2);
    const laneLabels = await page
      .locator(".output_area svg g.lane")
      .evaluateAll((gs) => gs.map((g) => g.getAttribute("data-lane")));
    assert.deepEqual(laneLabels, ["task A", "task B"]);
    // Rendered bars have a real size on screen.
    const box = await page.locator(".output_area svg rect.bar.running").first().boundingBox();
    assert.ok(box && box.width > 20 && box.height > 5, `bar box ${JSON.stringify(box)}`);

    fs.mkdirSync(OUTPUT_DIR, { recursive: true });
    const shot = path.join(OUTPUT_DIR, "browser-notebook.png");
    await page.locator("#notebook-container").screenshot({ path: shot });
    assert.ok(fs.statSync(shot).size > 10_000);
  });
});
