/** `spindle kernel <connection_file>`. */
import { EarlyExecutor } from "../executor/early-start";

/** Runs the kernel; the process exits when it shuts down. */
export async function kernelCommand(args: string[]): Promise<number> {
  const [file, ...extra] = args;
  if (!file || extra.length > 0) {
    process.stderr.write("Usage: spindle kernel <connection_file>  (Jupyter passes {connection_file})\n");
    return 2;
  }
  // The executor spawns before the kernel's modules (and zeromq) load.
  const executor = new EarlyExecutor();
  let code: number;
  try {
    const { runKernel } = await import("../kernel/main");
    code = await runKernel(file, executor.factory);
  } finally {
    await executor.discard();
  }
  // Nothing may keep a shut-down kernel alive (the manager waits for the process to end).
  process.exit(code);
}
