/**
 * The seam through which library code below the display layer (Pool.map,
 * imap) reports progress: display/progress.ts installs the real bars when it
 * loads (the executor loads it at start); until then, and in plain scripts
 * that never load it, progress goes nowhere.
 */

/** A progress bar as library code drives it. */
export interface LibraryProgress {
  /** Sets the number of finished steps. */
  set(done: number): void;
  /** Ends the bar, keeping its final state visible. */
  close(state?: "done" | "error"): void;
}

/** Makes a bar for `total` steps labelled `label`. */
export type LibraryProgressFactory = (options: { total: number; label: string }) => LibraryProgress;

const NO_PROGRESS: LibraryProgress = { set: () => undefined, close: () => undefined };
let factory: LibraryProgressFactory | undefined;

/** Installs the factory behind `libraryProgress` (called by the display layer). */
export function setLibraryProgressFactory(make: LibraryProgressFactory): void {
  factory = make;
}

/** A progress bar for library work; a no-op when no display layer is loaded. */
export function libraryProgress(options: { total: number; label: string }): LibraryProgress {
  return factory?.(options) ?? NO_PROGRESS;
}
