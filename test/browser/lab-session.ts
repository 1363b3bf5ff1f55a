/**
 * A JupyterLab server with headless Chromium on it, and the few page actions the
 * JupyterLab tests share: open a notebook in a fresh workspace, run cells through
 * the app's commands, save and read the notebook back, take screenshots.
 */
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { chromium, type BrowserContext, type Locator, type Page } from "playwright-core";
import { descendants, waitAllDead } from "../helpers/procs";
import { startLabServer, type LabServer } from "./jupyterlab-server";

const ROOT = path.resolve(__dirname, "..", "..", "..");
/** Where screenshots go (git-ignored; kept as CI artifacts). */
export const OUTPUT_DIR = path.join(ROOT, "test-output");
const CHROMIUM_FLAGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
];

/** The little of JupyterLab's app the tests read in the page (the project compiles without DOM types). */
export interface LabWindow {
  jupyterapp: {
    commands: { execute(id: string, args?: unknown): Promise<unknown> };
    shell: { currentWidget: NotebookPanel | null };
  };
}

interface NotebookPanel {
  context?: { model: { dirty: boolean } };
  sessionContext?: {
    session?: { kernel?: { status: string } | null } | null;
    statusChanged: { connect(fn: (sender: unknown, status: string) => void): void };
  };
  content?: {
    model?: { cells: { length: number; get(i: number): { type: string; executionCount?: number | null } } };
    activeCellIndex: number;
  };
}

/** A saved notebook, as much of it as the tests read. */
export interface SavedNotebook {
  cells: Array<{
    cell_type: string;
    source?: string | string[];
    execution_count?: number | null;
    outputs?: Array<Record<string, any>>;
  }>;
}

/** JupyterLab and a browser page on it. */
export class LabSession {
  #workspace = 0;

  private constructor(
    readonly server: LabServer,
    readonly context: BrowserContext,
    readonly page: Page,
  ) {}

  /** Starts JupyterLab (kernels get SPINDLE_TIME_SCALE=0.1) and Chromium. */
  static async start(): Promise<LabSession> {
    const server = await startLabServer({ SPINDLE_TIME_SCALE: "0.1" });
    // No "get Jupyter news?" toast over the notebook.
    const settings = path.join(server.tmp, "settings", "@jupyterlab", "apputils-extension");
    fs.mkdirSync(settings, { recursive: true });
    fs.writeFileSync(path.join(settings, "notification.jupyterlab-settings"), JSON.stringify({ fetchNews: "false" }));
    let context: BrowserContext;
    try {
      context = await chromium.launchPersistentContext(path.join(server.tmp, "chromium-profile"), {
        executablePath: "/usr/bin/chromium",
        headless: true,
        args: CHROMIUM_FLAGS,
        viewport: { width: 1280, height: 1000 },
      });
    } catch (err) {
      await server.stop();
      server.cleanup();
      throw err;
    }
    fs.mkdirSync(OUTPUT_DIR, { recursive: true });
    return new LabSession(server, context, context.pages()[0] ?? (await context.newPage()));
  }

  /** Closes the browser and the server; asserts no kernel outlives them. */
  async stop(): Promise<void> {
    await this.context.close();
    const kernels = descendants(this.server.pid);
    await this.server.stop();
    const gone = await waitAllDead(kernels, 20_000);
    this.server.cleanup();
    assert.ok(gone, `processes left behind by JupyterLab: ${kernels.join(", ")}`);
  }

  /** Opens `name` (in the server's notebook folder) in a fresh workspace; waits for its kernel to be idle. */
  async open(name: string): Promise<void> {
    const s = this.server;
    await this.page.goto(
      `${s.url}/lab/workspaces/w${++this.#workspace}/tree/${encodeURIComponent(name)}?reset&token=${s.token}`,
      { timeout: 90_000 },
    );
    await this.kernelIdle(120_000);
  }

  /** Shuts down every running kernel through the server's REST API. */
  async shutdownKernels(): Promise<void> {
    const { url, token } = this.server;
    const kernels = (await (await fetch(`${url}/api/kernels?token=${token}`)).json()) as Array<{ id: string }>;
    await Promise.all(kernels.map((k) => fetch(`${url}/api/kernels/${k.id}?token=${token}`, { method: "DELETE" })));
  }

  /** Waits until the current notebook's kernel is idle. */
  async kernelIdle(timeout: number): Promise<void> {
    await this.page.waitForFunction(
      () =>
        (globalThis as unknown as LabWindow).jupyterapp?.shell.currentWidget?.sessionContext?.session?.kernel
          ?.status === "idle",
      undefined,
      { timeout, polling: 100 },
    );
  }

  /**
   * Starts a JupyterLab command (`notebook:run-all-cells`, `docmanager:save`, …) without
   * waiting for it: a run command settles only when its cells finish, and callers wait
   * for the state they expect instead.
   */
  async command(id: string, args?: unknown): Promise<void> {
    await this.page.evaluate(
      ([c, a]) => {
        void (globalThis as unknown as LabWindow).jupyterapp.commands.execute(c as string, a);
      },
      [id, args] as const,
    );
  }

  /** Saves the notebook and reads it back from disk (JupyterLab renders long notebooks lazily; the file has everything). */
  async saved(name: string): Promise<SavedNotebook> {
    await this.command("docmanager:save");
    await this.page.waitForFunction(
      () => (globalThis as unknown as LabWindow).jupyterapp.shell.currentWidget?.context?.model.dirty === false,
      undefined,
      { timeout: 30_000 },
    );
    return JSON.parse(fs.readFileSync(path.join(this.server.notebookDir, name), "utf8")) as SavedNotebook;
  }

  /** Selects cell `index` (0-based). */
  async select(index: number): Promise<void> {
    await this.page.evaluate((i) => {
      (globalThis as unknown as LabWindow).jupyterapp.shell.currentWidget!.content!.activeCellIndex = i;
    }, index);
  }

  /** Runs cell `index`; resolves when it has an execution count and the kernel is idle. */
  async runCell(index: number, timeout = 60_000): Promise<void> {
    await this.select(index);
    await this.command("notebook:run-cell");
    await this.page.waitForFunction(
      (i) => {
        const w = (globalThis as unknown as LabWindow).jupyterapp.shell.currentWidget!;
        return (
          typeof w.content!.model!.cells.get(i).executionCount === "number" &&
          w.sessionContext?.session?.kernel?.status === "idle"
        );
      },
      index,
      { timeout, polling: 100 },
    );
  }

  /** Resolves when every code cell has an execution count and the kernel is idle. */
  async allCellsRan(timeout: number): Promise<void> {
    await this.page.waitForFunction(
      () => {
        const w = (globalThis as unknown as LabWindow).jupyterapp.shell.currentWidget!;
        const cells = w.content!.model!.cells;
        for (let i = 0; i < cells.length; i++) {
          const c = cells.get(i);
          if (c.type === "code" && typeof c.executionCount !== "number") return false;
        }
        return w.sessionContext?.session?.kernel?.status === "idle";
      },
      undefined,
      { timeout, polling: 250 },
    );
  }

  /** The cell at `index` in the page. */
  cell(index: number): Locator {
    return this.page.locator(".jp-Notebook .jp-Cell").nth(index);
  }

  /** Saves a screenshot as test-output/jupyterlab-<name>.png. */
  async shot(name: string): Promise<void> {
    await this.page.screenshot({ path: path.join(OUTPUT_DIR, `jupyterlab-${name}.png`) });
  }
}

/** Drags a noUi slider's handle to `fraction` (0–1) of its track. */
export async function dragSlider(page: Page, cell: Locator, fraction: number): Promise<void> {
  const h = await cell.locator(".noUi-handle").first().boundingBox();
  const t = await cell.locator(".noUi-target").first().boundingBox();
  assert.ok(h && t, "slider on screen");
  await page.mouse.move(h.x + h.width / 2, h.y + h.height / 2);
  await page.mouse.down();
  await page.mouse.move(t.x + t.width * fraction + 5, h.y + h.height / 2, { steps: 8 });
  await page.mouse.up();
}
