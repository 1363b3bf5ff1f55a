/** The kernel sessions `spindle grade` and `spindle validate` run notebooks in. */
import type { SessionFactory } from "./kernel-session";
import { startClientSession } from "./client-session";

/** A fresh Spindle kernel process per notebook, driven over ZeroMQ. */
export const defaultSessionFactory: SessionFactory = (options) => startClientSession(options);
