/**
 * Source markers, as nbgrader's ClearSolutions and ClearHiddenTests treat them:
 * a line containing `BEGIN SOLUTION` … `END SOLUTION` is replaced by the code
 * stub (indented like the BEGIN line); a line containing `BEGIN HIDDEN TESTS`
 * … `END HIDDEN TESTS` is removed. Markers are substrings, so `// BEGIN SOLUTION`
 * works in TypeScript.
 */
import { GraderError } from "../errors";

/** Marker spellings and stubs (nbgrader's defaults plus the TypeScript code stub). */
export interface MarkerConfig {
  beginSolution: string;
  endSolution: string;
  beginHidden: string;
  endHidden: string;
  /** Replaces code solutions (nbgrader: `ClearSolutions.code_stub["typescript"]`). */
  codeStub: string;
  /** Replaces markdown solutions (nbgrader: `ClearSolutions.text_stub`). */
  textStub: string;
}

/** The stub a released TypeScript solution gets: it compiles, and fails clearly when run. */
export const TYPESCRIPT_CODE_STUB = '// YOUR CODE HERE\nthrow new Error("not implemented yet")';

/** The markers and stubs Spindle uses; they match nbgrader's defaults. */
export const DEFAULT_MARKERS: MarkerConfig = {
  beginSolution: "BEGIN SOLUTION",
  endSolution: "END SOLUTION",
  beginHidden: "BEGIN HIDDEN TESTS",
  endHidden: "END HIDDEN TESTS",
  codeStub: TYPESCRIPT_CODE_STUB,
  textStub: "YOUR ANSWER HERE",
};

/** The result of rewriting one source. */
export interface Rewrite {
  source: string;
  /** True when at least one marked region was found. */
  found: boolean;
}

/** Replaces every solution region with `stub` (nbgrader's `_replace_solution_region`); `where` names the cell. */
export function replaceSolutionRegions(
  source: string,
  stub: string,
  where: string,
  m: MarkerConfig = DEFAULT_MARKERS,
): Rewrite {
  const stubLines = stub.split("\n");
  const out: string[] = [];
  let inside = false;
  let found = false;
  for (const line of source.split("\n")) {
    if (line.includes(m.beginSolution)) {
      if (inside) throw markerError(where, `a second "${m.beginSolution}" before "${m.endSolution}"`);
      inside = true;
      found = true;
      const indent = /^\s*/.exec(line)?.[0] ?? "";
      for (const s of stubLines) out.push(indent + s);
    } else if (line.includes(m.endSolution)) {
      inside = false;
    } else if (!inside) {
      out.push(line);
    }
  }
  if (inside) throw markerError(where, `"${m.beginSolution}" without a matching "${m.endSolution}"`);
  return { source: out.join("\n"), found };
}

/** Removes every hidden-test region (nbgrader's `_remove_hidden_test_region`); `where` names the cell. */
export function removeHiddenTests(source: string, where: string, m: MarkerConfig = DEFAULT_MARKERS): Rewrite {
  const out: string[] = [];
  let inside = false;
  let found = false;
  for (const line of source.split("\n")) {
    if (line.includes(m.beginHidden)) {
      if (inside) throw markerError(where, `a second "${m.beginHidden}" before "${m.endHidden}"`);
      inside = true;
      found = true;
    } else if (line.includes(m.endHidden)) {
      inside = false;
    } else if (!inside) {
      out.push(line);
    }
  }
  if (inside) throw markerError(where, `"${m.beginHidden}" without a matching "${m.endHidden}"`);
  return { source: out.join("\n"), found };
}

/** True when `source` contains a hidden-test region. */
export function hasHiddenTests(source: string, m: MarkerConfig = DEFAULT_MARKERS): boolean {
  return source.split("\n").some((line) => line.includes(m.beginHidden));
}

function markerError(where: string, what: string): GraderError {
  return new GraderError(
    `${where} has ${what}; every marked region needs its own BEGIN line and END line.`,
    "ERR_GRADER_MARKERS",
  );
}
