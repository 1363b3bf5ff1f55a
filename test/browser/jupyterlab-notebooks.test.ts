import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { LabSession } from "./lab-session";

const ROOT = path.resolve(__dirname, "..", "..", "..");
const VEGA_LITE = "application/vnd.vegalite.v5+json";

/** The chapter notebooks of every edition (English in notebooks/, Chinese in notebooks/zh/ when present). */
function chapterNotebooks(): string[] {
  const dirs = [path.join(ROOT, "notebooks"), path.join(ROOT, "notebooks", "zh")].filter((d) => fs.existsSync(d));
  return dirs.flatMap((d) =>
    fs
      .readdirSync(d)
      .filter((f) => /^\d\d-.*\.ipynb$/.test(f))
      .sort()
      .map((f) => path.join(d, f)),
  );
}

function textOf(value: unknown): string {
  return Array.isArray(value) ? value.join("") : String(value ?? "");
}

describe("JupyterLab 4 runs every chapter notebook with the Spindle kernel", { timeout: 1_800_000 }, () => {
  let lab: LabSession;
  before(async () => {
    lab = await LabSession.start();
  });
  after(async () => {
    await lab?.stop();
  });

  let timelinesSeen = 0;
  for (const file of chapterNotebooks()) {
    const name = `${path.basename(path.dirname(file)) === "zh" ? "zh-" : ""}${path.basename(file)}`;
    test(`${name}: run all cells — no error outputs, every code cell ran, charts present`, async () => {
      fs.copyFileSync(file, path.join(lab.server.notebookDir, name));
      await lab.open(name);
      await lab.command("notebook:run-all-cells");
      try {
        await lab.allCellsRan(400_000);
      } catch (err) {
        await lab.shot(`stuck-${name}`);
        const nb = await lab.saved(name);
        const errors = nb.cells
          .flatMap((c) => c.outputs ?? [])
          .filter((o) => o.output_type === "error")
          .map((o) => `${o.ename}: ${o.evalue}`);
        throw new Error(
          `${name} did not finish running (${String(err)}); error outputs: ${errors.join(" | ") || "none"}`,
        );
      }
      const nb = await lab.saved(name);
      const code = nb.cells.filter((c) => c.cell_type === "code");
      const outputs = code.flatMap((c) => c.outputs ?? []);
      assert.deepEqual(
        outputs.filter((o) => o.output_type === "error").map((o) => `${o.ename}: ${o.evalue}`),
        [],
        "error outputs",
      );
      assert.ok(
        code.every((c) => typeof c.execution_count === "number"),
        "every code cell ran",
      );
      const charts = outputs.filter(
        (o) => o.data && (o.data["image/svg+xml"] || /<svg/.test(String(o.data["text/html"] ?? ""))),
      );
      assert.ok(charts.length > 0, "charts present");
      // A timeline's output: SVG chart, text chart ("… — 3 lane(s), 1.2 s"); each carries Vega-Lite too.
      const timelines = outputs.filter(
        (o) => o.data?.["image/svg+xml"] && /lane\(s\)/.test(textOf(o.data["text/plain"])),
      );
      assert.deepEqual(
        timelines.filter((o) => !o.data[VEGA_LITE]).map((o) => textOf(o.data["text/plain"]).split("\n")[0]),
        [],
        "timelines without Vega-Lite",
      );
      timelinesSeen += timelines.length;
      await lab.shot(name.replace(/\.ipynb$/, ""));
      await lab.shutdownKernels();
    });
  }

  test("the chapters' timelines were seen (each with SVG and Vega-Lite)", () => {
    assert.ok(timelinesSeen > 0, "no timeline output found in the chapter notebooks");
  });
});
