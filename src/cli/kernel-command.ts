/** `spindle kernel <connection_file>`. */
import { runKernel } from "../kernel/main";

/** Runs the kernel; the process exits when it shuts down. */
export async function kernelCommand(args: string[]): Promise<number> {
  const [file, ...extra] = args;
  if (!file || extra.length > 0) {
    process.stderr.write("Usage: spindle kernel <connection_file>  (Jupyter passes {connection_file})\n");
    return 2;
  }
  const code = await runKernel(file);
  // Nothing may keep a shut-down kernel alive (the manager waits for the process to end).
  process.exit(code);
}
