/** The kernel sessions `spindle grade` and `spindle validate` run notebooks in. */
import type { SessionFactory } from "./kernel-session";
import { startExecutorSession } from "./executor-session";

/** A fresh Spindle kernel per notebook. */
export const defaultSessionFactory: SessionFactory = (options) => startExecutorSession(options);
