/**
 * The seam through which the executor maps stack traces of shipped code back to
 * cell lines. Shipped functions are compiled on the far side under their
 * original file name and line numbers (e.g. `cell[3]:12:5` of the compiled
 * cell), so a mapper that understands the executor's own frames works as is.
 */

/** Rewrites a stack trace (text) so its frames point at the user's source. */
export type StackMapper = (stack: string) => string;

let mapper: StackMapper | undefined;

/** Installs the executor's stack mapper (the last one installed wins); returns a function that removes it. */
export function setStackMapper(fn: StackMapper): () => void {
  mapper = fn;
  return () => {
    if (mapper === fn) mapper = undefined;
  };
}

/** Maps a stack trace with the installed mapper; returns it unchanged when none is installed or it fails. */
export function mapStack(stack: string): string {
  if (!mapper) return stack;
  try {
    return mapper(stack);
  } catch {
    return stack;
  }
}
