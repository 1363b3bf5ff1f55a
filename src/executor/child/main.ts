/**
 * Entry point of the executor process: the child of the kernel that compiles
 * and runs cells. It talks to the kernel over Node's IPC channel and reads
 * interrupts from file descriptor 4 (see watchdog-thread.ts).
 */
import { openComms } from "../../comm/comm";
import { runShutdownHooks } from "../../runtime/lifecycle";
import { currentCell } from "../../runtime/cell-context";
import type { CommReply, ExecuteReplyContent, ExecutorToKernel, KernelToExecutor } from "../ipc-messages";
import { captureProcessStreams, getLastCell } from "./capture";
import { complete, inspect, isComplete } from "./editor";
import { completeMagic, inspectMagic } from "./magics/help";
import { blankMagicLines } from "./magics/lines";
import { OutputChannel, type CellSink } from "./outputs";
import { ExecutorSession } from "./session";
import { errorFields } from "./traceback";
import { checkIntegrity, INTEGRITY_KEY, snapshotIntegrity } from "./integrity";
import { cellEnded, cellStarted } from "./idle-warm-up";
import { guardWorkersUnderPermission } from "./permission-guard";
import { guardKill } from "./kill-guard";
import { guardSpawn } from "./spawn-guard";
import { startWatchdog } from "./watchdog";

const INTERRUPT_FD = 4;
guardWorkersUnderPermission();
if ((process as { permission?: unknown }).permission) {
  guardKill();
  guardSpawn();
}

function send(msg: ExecutorToKernel): void {
  process.send?.(msg);
}

const outputs = new OutputChannel(send);
const original = captureProcessStreams();
const session = new ExecutorSession(process.cwd(), outputs);

/** Errors nobody caught (a throwing timer, an unawaited rejection) are shown in the cell that caused them. */
function reportStray(err: unknown, what: string): void {
  const cell = currentCell() ?? getLastCell();
  if (!cell) {
    original.stderr(`spindle executor: ${what}: ${String(err)}\n`);
    return;
  }
  const fields = errorFields(err);
  (cell.sink as CellSink).error({
    ...fields,
    traceback: [`${what} (the cell had already returned or did not await it):`, ...fields.traceback],
  });
}
process.on("uncaughtException", (err) => reportStray(err, "Uncaught exception"));
process.on("unhandledRejection", (reason) => reportStray(reason, "Unhandled promise rejection"));
// Interrupts come through the watchdog; a stray SIGINT (Ctrl+C in a terminal) must not kill the state.
process.on("SIGINT", () => session.interrupt());

async function handle(msg: KernelToExecutor): Promise<void> {
  switch (msg.type) {
    case "execute": {
      let content: ExecuteReplyContent;
      // The grader asks, with each cell, whether what tests rely on is still as it was at start.
      const { [INTEGRITY_KEY]: check, ...userExpressions } = msg.userExpressions;
      cellStarted(msg.code);
      try {
        content = await session.execute(check === undefined ? msg : { ...msg, userExpressions });
      } catch (err) {
        for (const out of outputs.takeHeld()) send(out);
        throw err;
      } finally {
        cellEnded();
      }
      const held = outputs.takeHeld();
      if (check !== undefined && content.status !== "aborted") {
        const report = { status: "ok", data: { "application/json": checkIntegrity() }, metadata: {} };
        content = {
          ...content,
          user_expressions: { ...(content.user_expressions as object | undefined), [INTEGRITY_KEY]: report },
        };
      }
      send({ type: "reply", id: msg.id, content, ...(held.length > 0 ? { outputs: held } : {}) });
      return;
    }
    case "complete":
      send({
        type: "reply",
        id: msg.id,
        content:
          completeMagic(msg.code, msg.cursorPos) ??
          complete(session.compiler, blankMagicLines(msg.code), msg.cursorPos),
      });
      return;
    case "inspect":
      send({
        type: "reply",
        id: msg.id,
        content:
          inspectMagic(msg.code, msg.cursorPos) ?? inspect(session.compiler, blankMagicLines(msg.code), msg.cursorPos),
      });
      return;
    case "is_complete":
      send({ type: "reply", id: msg.id, content: isComplete(blankMagicLines(msg.code)) });
      return;
    case "comm": {
      let content: CommReply;
      try {
        content = await session.comm(msg);
      } finally {
        outputs.flush();
      }
      send({ type: "reply", id: msg.id, content });
      return;
    }
    case "comm_info": {
      const comms: Record<string, { target_name: string }> = {};
      for (const [id, comm] of openComms(msg.targetName)) comms[id] = { target_name: comm.targetName };
      send({ type: "reply", id: msg.id, content: { status: "ok", comms } });
      return;
    }
    case "input_reply":
      outputs.inputReply(msg.id, msg.value);
      return;
    case "shutdown":
      await session.stopAll();
      await runShutdownHooks();
      outputs.flush();
      send({ type: "reply", id: msg.id, content: { status: "ok", restart: msg.restart } });
      process.disconnect?.();
      setTimeout(() => process.exit(0), 50).unref();
      return;
  }
}

startWatchdog(INTERRUPT_FD, {
  onInterrupt: (target) => session.interrupt(target),
  flushOutput: () => outputs.flushFromWatchdog(),
  pendingOutput: (slot) => outputs.watchPending(slot),
});
session.compiler.warmUp();
process.on("message", (msg: KernelToExecutor) => {
  handle(msg).catch((err: unknown) => {
    original.stderr(
      `spindle executor: request ${msg.type} failed: ${String(err instanceof Error ? err.stack : err)}\n`,
    );
    if ("id" in msg && msg.type !== "input_reply") {
      send({ type: "reply", id: msg.id, content: { status: "error", ...errorFields(err), execution_count: 0 } });
    }
  });
});
process.on("disconnect", () => {
  void runShutdownHooks().finally(() => process.exit(0));
});
snapshotIntegrity();
send({ type: "ready", pid: process.pid });
