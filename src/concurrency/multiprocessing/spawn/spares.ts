/**
 * Warm spare children. Forking Node costs ~60 ms to the first message, so a
 * few child runtimes are kept booted and idle; `Process.start()` and pools take
 * one (≈1 ms) and a replacement boots in the background. Every child is
 * killed at shutdown or exit of this process; each child also exits by itself
 * if this process disappears (see multiprocessing-child/watchdog.ts). Spares
 * nobody took for a while are let go (runtime/spare-release.ts).
 */
import { onShutdown } from "../../../runtime/lifecycle";
import { defaultSpareCount } from "../../../runtime/resources";
import { SpareRelease } from "../../../runtime/spare-release";
import { ChildHandle } from "./child-handle";

const live = new Set<ChildHandle>();
const spares: ChildHandle[] = [];
// Decided on first use: 2, or fewer under a CPU quota of 1 (see runtime/resources.ts).
let target: number | undefined;
const REFILL_DELAY_MS = 40;
let refillQueued = false;
let hookInstalled = false;
const rest = new SpareRelease(
  () => {
    // A spare has no work yet: killing it loses nothing (what its preloads printed is dropped with it).
    const idle = spares.splice(0);
    for (const c of idle) c.signal("SIGKILL");
    return idle.length;
  },
  () => {
    while (spares.length < spareCount()) spawnSpare();
  },
);

function installHook(): void {
  if (hookInstalled) return;
  hookInstalled = true;
  onShutdown(() => killAll());
}

/** Kills every child this process started (SIGKILL: synchronous, nothing can linger). */
export function killAll(): void {
  spares.length = 0;
  for (const c of live) c.signal("SIGKILL");
}

function spawnChild(): ChildHandle {
  installHook();
  const c = new ChildHandle();
  live.add(c);
  void c.exited.then(() => {
    live.delete(c);
    const i = spares.indexOf(c);
    if (i >= 0) spares.splice(i, 1);
  });
  return c;
}

/** Module files recent Process targets needed, oldest first; idle spares load them ahead of use. */
const preloads: string[] = [];
const MAX_PRELOADS = 16;

/** Remembers module files a Process target needs, so idle spares (now and later) load them before the next start. */
export function preloadInSpares(files: string[]): void {
  const fresh = files.filter((f) => !preloads.includes(f));
  if (fresh.length === 0) return;
  preloads.push(...fresh);
  if (preloads.length > MAX_PRELOADS) preloads.splice(0, preloads.length - MAX_PRELOADS);
  for (const c of spares) c.send({ t: "preload", files: fresh });
}

function spawnSpare(): ChildHandle {
  const c = spawnChild();
  if (preloads.length > 0) c.send({ t: "preload", files: [...preloads] });
  // Booting keeps a script alive (someone may await warmUp); an idle spare does not.
  void c.ready.then(() => {
    if (!spares.includes(c)) return;
    c.setRef(false);
    rest.touch(); // a spare's idle time counts from when it is ready
  });
  spares.push(c);
  return c;
}

function queueRefill(): void {
  if (refillQueued) return;
  refillQueued = true;
  // Not at once: forking blocks this thread for milliseconds and a booting child competes for the
  // CPU with the one just started. Let the new child get going first.
  setTimeout(() => {
    refillQueued = false;
    while (spares.length < spareCount()) spawnSpare();
  }, REFILL_DELAY_MS).unref();
}

/** A child runtime for a new Process or pool worker: a warm spare when one is there. */
export function takeChild(): ChildHandle {
  rest.touch();
  const c = spares.shift() ?? spawnChild();
  c.setRef(true);
  queueRefill();
  return c;
}

/** Keeps `count` spares booted from now on (0 turns spares off); resolves when they are ready. */
export async function warmUp(count = spareCount()): Promise<void> {
  target = Math.max(0, Math.floor(count));
  rest.touch();
  while (spares.length > target) spares.pop()?.signal("SIGKILL");
  while (spares.length < target) spawnSpare();
  await Promise.all(spares.map((c) => c.ready));
}

/** How many spare children are kept booted. */
export function spareCount(): number {
  target ??= defaultSpareCount();
  return target;
}

/** Pids of every live child (spares included), for tests and diagnostics. */
export function livePids(): number[] {
  return [...live].map((c) => c.pid);
}
