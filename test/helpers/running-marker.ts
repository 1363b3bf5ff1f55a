/**
 * Knowing that a cell's own code is running (not still being compiled): the
 * cell first writes a marker file, the test waits for it. Output cannot serve,
 * as a cell spinning in `while (true) {}` never gets to flush its output.
 */
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { waitFor } from "./kernel-harness";

let counter = 0;

/** A marker: `code` (TypeScript) to put at the start of a cell, `reached()` to wait for it. */
export interface RunningMarker {
  code: string;
  reached(timeoutMs?: number): Promise<void>;
  cleanup(): void;
}

/** Creates a marker in a fresh temp folder. */
export function runningMarker(): RunningMarker {
  const dir = mkdtempSync(join(tmpdir(), "spindle-marker-"));
  const file = join(dir, "running");
  const alias = `__markRunning${++counter}`;
  return {
    code: `import { writeFileSync as ${alias} } from "node:fs"; ${alias}(${JSON.stringify(file)}, "");`,
    reached: async (timeoutMs = 60_000) => {
      await waitFor(() => (existsSync(file) ? true : undefined), timeoutMs, "the cell to start running");
    },
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}
