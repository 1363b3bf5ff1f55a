/**
 * Entry point of a Spindle child process (forked by spawn/child-handle.ts).
 * First, with nothing loaded but Node itself, it makes sure it cannot outlive
 * its parent; only then does it load the runtime (boot.ts), which on a busy
 * machine can take a while.
 */
import { startWatchdog } from "./watchdog";

const parentPid = Number(process.env.SPINDLE_PARENT_PID) || process.ppid;
// The parent may have died while this child was still starting: its ppid is then already another's.
if (process.ppid !== parentPid || !process.connected) process.exit(0);
// Fast path of the no-orphans rule: the parent's end of the channel closed (it exited or was killed).
process.on("disconnect", () => process.exit(0));
startWatchdog(parentPid);

(require("./boot") as typeof import("./boot")).boot(parentPid);
