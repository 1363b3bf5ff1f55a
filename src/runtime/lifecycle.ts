/**
 * Process-wide shutdown hooks: thread pools, warm spare processes and the like
 * register here so that kernel shutdown (or the end of a plain Node script)
 * leaves nothing behind.
 */
type Hook = () => void | Promise<void>;

const hooks = new Set<Hook>();
let exitListenerInstalled = false;

/** Registers `hook` to run at shutdown; returns a function that unregisters it. */
export function onShutdown(hook: Hook): () => void {
  hooks.add(hook);
  if (!exitListenerInstalled) {
    exitListenerInstalled = true;
    // A plain script that never calls runShutdownHooks still must not leave children behind;
    // only synchronous work is possible here, so hooks should kill synchronously when they can.
    process.once("exit", () => {
      for (const h of hooks) {
        try {
          void h();
        } catch {
          // Exiting anyway; nothing useful to do with the error.
        }
      }
    });
  }
  return () => hooks.delete(hook);
}

/** Runs every shutdown hook once (in reverse registration order) and waits for them. */
export async function runShutdownHooks(): Promise<void> {
  const all = [...hooks].reverse();
  hooks.clear();
  await Promise.allSettled(all.map(async (h) => h()));
}
