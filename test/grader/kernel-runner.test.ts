/**
 * The runner's limits against a scripted kernel session (the seam the runner
 * is built on): an interrupt that does not take leads to a restart, the
 * notebook limit leaves later cells unrun, every timed-out cell scores 0.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { SessionRunner } from "../../src/grader/running/kernel-runner";
import type { ExecuteOutcome, IopubOutput, KernelSession } from "../../src/grader/running/kernel-session";
import { code, notebook } from "./helpers/build";

/** A session whose cells behave as their source says: "ok", "print", "hang", "stuck" (ignores interrupts). */
class ScriptedSession implements KernelSession {
  log: string[] = [];
  #pending?: (o: ExecuteOutcome) => void;
  #stuck = false;

  async execute(source: string, onOutput: (o: IopubOutput) => void): Promise<ExecuteOutcome> {
    this.log.push(`execute ${source}`);
    if (source === "print") onOutput({ msg_type: "stream", content: { name: "stdout", text: "hello\n" } });
    if (source === "hang" || source === "stuck") {
      this.#stuck = source === "stuck";
      onOutput({ msg_type: "stream", content: { name: "stdout", text: "started\n" } });
      return new Promise((resolve) => (this.#pending = resolve));
    }
    return { status: "ok" };
  }
  interrupt(): void {
    this.log.push("interrupt");
    if (!this.#stuck) this.#pending?.({ status: "error", ename: "KeyboardInterrupt" });
  }
  async restart(): Promise<void> {
    this.log.push("restart");
    this.#stuck = false;
  }
  async shutdown(): Promise<void> {
    this.log.push("shutdown");
  }
}

test("a hung cell is interrupted; one that ignores the interrupt gets a restart", async () => {
  const session = new ScriptedSession();
  const nb = notebook([code("print"), code("hang"), code("ok"), code("stuck"), code("ok")]);
  const report = await new SessionRunner(async () => session, { interruptGrace: 0.2 }).run(
    nb,
    { cellTimeout: 0.3, notebookTimeout: 30 },
    { cwd: "." },
  );
  assert.deepEqual(report.cells, ["ok", "timeout", "ok", "timeout", "ok"]);
  assert.deepEqual(session.log, [
    "execute print",
    "execute hang",
    "interrupt",
    "execute ok",
    "execute stuck",
    "interrupt",
    "restart",
    "execute ok",
    "shutdown",
  ]);
  assert.deepEqual(
    nb.cells[1]!.outputs!.map((o) => o.output_type),
    ["stream", "error"],
    "output before the limit is kept",
  );
  assert.match(JSON.stringify(nb.cells[1]!.outputs![1]), /TimeoutError.*past its 0.3 s limit/);
  assert.deepEqual(
    nb.cells.map((c) => c.execution_count),
    [1, 2, 3, 4, 5],
  );
});

test("the notebook limit stops the run; later cells are marked not run", async () => {
  const session = new ScriptedSession();
  const nb = notebook([code("ok"), code("hang"), code("ok"), code("ok")]);
  const report = await new SessionRunner(async () => session, { interruptGrace: 0.2 }).run(
    nb,
    { cellTimeout: 10, notebookTimeout: 0.4 },
    { cwd: "." },
  );
  assert.deepEqual(report.cells, ["ok", "timeout", "not-run", "not-run"]);
  assert.match(JSON.stringify(nb.cells[1]!.outputs), /the notebook's 0.4 s limit/);
  assert.match(JSON.stringify(nb.cells[2]!.outputs), /NotRun.*before this cell ran/);
  assert.equal(session.log.at(-1), "shutdown");
});
