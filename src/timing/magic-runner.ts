/**
 * Runs what `parseMagics` planned: `runCellMagic` for `%%time`, `%%timeit`
 * and `%%timeline` (called by the executor), `lineMagic` for `%time` and
 * `%timeit` (called by the rewritten cell line). Reports go to the cell's
 * stdout as IPython prints them; the timeline is displayed as a chart.
 */
import { writeStream } from "../runtime/cell-context";
import { display } from "../display/index";
import type { CellMagic } from "./magics";
import { time } from "./time";
import { timeit, type TimeitResult } from "./timeit";
import { timeline } from "./timeline";

/** Runs a cell under its cell magic; `run` evaluates the compiled cell once. Resolves with the cell's value. */
export async function runCellMagic(magic: CellMagic, run: () => Promise<unknown>): Promise<unknown> {
  switch (magic.name) {
    case "time": {
      const r = await time(run);
      writeStream("stdout", `${r.toText()}\n`);
      return r.value;
    }
    case "timeit":
      return reportTimeit(await timeit(run, { number: magic.number, repeat: magic.repeat }), magic);
    case "explore": {
      // Loaded on first use: the explorer is not needed by cells that do not explore.
      const { exploreCell } = require("../explore/explore") as typeof import("../explore/explore");
      display(await exploreCell(run, magic.schedules, magic.seed));
      return undefined;
    }
    case "timeline": {
      const tl = await timeline(run, { title: magic.title ?? "Timeline of this cell" });
      display(tl);
      return tl.value;
    }
  }
}

/** Options a rewritten `%timeit` line passes. */
export interface LineTimeitOptions {
  number?: number;
  repeat?: number;
  quiet?: boolean;
  returnResult?: boolean;
}

/** Runs one line under `%time` (resolves with its value) or `%timeit` (resolves with nothing, or the result with -o). */
export async function lineMagic<T>(
  name: "time" | "timeit",
  fn: () => Promise<T>,
  source: string,
  options: LineTimeitOptions = {},
): Promise<T> {
  if (name === "time") {
    const r = await time(fn);
    writeStream("stdout", `${r.toText()}\n`);
    return r.value as T;
  }
  const result = await timeit(fn, { number: options.number, repeat: options.repeat });
  void source;
  // The value of a %timeit line is nothing (IPython's), or the TimeitResult with -o; typed loosely on purpose.
  return reportTimeit(result, { quiet: options.quiet ?? false, returnResult: options.returnResult ?? false }) as T;
}

function reportTimeit(
  result: TimeitResult,
  flags: { quiet: boolean; returnResult: boolean },
): TimeitResult | undefined {
  if (!flags.quiet) writeStream("stdout", `${result.toText()}\n`);
  return flags.returnResult ? result : undefined;
}
