/** interrupt_request and shutdown_request (control channel). */
import type { RequestHandler } from "./types";

/** Interrupts the running cell; replies at once. */
export const interruptRequest: RequestHandler<"interrupt_request"> = async (_content, ctx) => {
  ctx.kernel.interrupt();
  return { status: "ok" };
};

/**
 * Replies, then shuts down: the executor and all it started are stopped and the
 * process exits. With `restart: true` the manager (jupyter_client, `spindle run`)
 * starts a fresh kernel, so state and execution count start anew.
 */
export const shutdownRequest: RequestHandler<"shutdown_request"> = async (content, ctx) => {
  const restart = content.restart === true;
  const reply = { status: "ok" as const, restart };
  // Also broadcast, as ipykernel does, so every client learns of it.
  ctx.publish("shutdown_reply", reply);
  ctx.afterReply(() => ctx.kernel.shutdown(restart));
  return reply;
};
