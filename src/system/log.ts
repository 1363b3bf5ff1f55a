/**
 * The kernel's log: one line per event on stderr, which Jupyter servers keep in
 * their own log. Debug lines only when SPINDLE_DEBUG is set.
 */

/** Writes log lines. */
export interface Logger {
  /** Something went wrong or was refused (always written). */
  warn(message: string): void;
  /** Progress details, written only when debugging is on. */
  debug(message: string): void;
}

/** A logger writing `[spindle <name>] message` lines to `write` (stderr by default). */
export function createLogger(name: string, options: { debug?: boolean; write?: (line: string) => void } = {}): Logger {
  const write = options.write ?? ((line: string) => process.stderr.write(line));
  const debug = options.debug ?? Boolean(process.env.SPINDLE_DEBUG);
  const line = (message: string): string => `[spindle ${name} ${new Date().toISOString()}] ${message}\n`;
  return {
    warn: (message) => write(line(message)),
    debug: (message) => {
      if (debug) write(line(message));
    },
  };
}
