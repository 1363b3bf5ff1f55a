/**
 * Notebooks as the grader takes them in: nbformat's reader, with a file that
 * is not a notebook reported as the grader's own input error, so a bad
 * submission becomes one clear line in the summary rather than a crash.
 */
import { NotebookFormatError, parseNotebook as parse, readNotebook as read, type Notebook } from "../../nbformat";
import { GraderError } from "../errors";

/** Reads a notebook file; throws GraderError (ERR_GRADER_NOT_A_NOTEBOOK) naming the file when it is not one. */
export function readNotebook(path: string): Notebook {
  return asGraderError(() => read(path));
}

/** Parses notebook JSON text; `where` names the file in error messages. */
export function parseNotebook(text: string, where: string): Notebook {
  return asGraderError(() => parse(text, where));
}

function asGraderError(body: () => Notebook): Notebook {
  try {
    return body();
  } catch (err) {
    if (!(err instanceof NotebookFormatError)) throw err;
    throw new GraderError(err.message, "ERR_GRADER_NOT_A_NOTEBOOK", { cause: err });
  }
}
