/**
 * Checks a notebook before the grader uses it: the right kernel, well-formed
 * nbgrader metadata, unique grade_ids, at least one graded cell in a source.
 */
import { GraderError } from "../errors";
import { gradeId, isGrade, isSolution, isTracked } from "./cells";
import type { Notebook } from "../../nbformat/notebook";

/** Throws unless the notebook is for a TypeScript kernel (kernelspec language `typescript` or name `spindle`). */
export function checkKernel(nb: Notebook, where: string): void {
  const spec = nb.metadata.kernelspec;
  if (spec?.language === "typescript" || spec?.name === "spindle") return;
  const found = spec
    ? `kernel "${spec.display_name ?? spec.name ?? "?"}" (language ${spec.language ?? "unknown"})`
    : "no kernel set";
  throw new GraderError(
    `${where} is a notebook for ${found}, not TypeScript. Open it in Jupyter, choose the kernel ` +
      '"TypeScript (Spindle)" (Kernel → Change Kernel), save, and try again.',
    "ERR_GRADER_WRONG_KERNEL",
  );
}

/** Validates nbgrader metadata of a source notebook: ids present and unique, points valid, something to grade. */
export function checkSourceMetadata(nb: Notebook, where: string): void {
  const seen = new Map<string, number>();
  nb.cells.forEach((cell, i) => {
    const meta = cell.metadata.nbgrader;
    if (!meta || !isTracked(cell)) return;
    const id = gradeId(cell);
    const at = `${where}, cell ${i + 1}`;
    if (id === undefined || id.trim() === "") {
      throw new GraderError(
        `${at} is an nbgrader cell without a grade_id; give it a unique name in metadata.nbgrader.grade_id.`,
        "ERR_GRADER_BAD_METADATA",
      );
    }
    const first = seen.get(id);
    if (first !== undefined) {
      throw new GraderError(
        `${where}: cells ${first + 1} and ${i + 1} both have grade_id "${id}"; every graded, answer or locked cell needs its own grade_id.`,
        "ERR_GRADER_DUPLICATE_GRADE_ID",
      );
    }
    seen.set(id, i);
    if (isGrade(cell) || meta.task === true) {
      const p = meta.points;
      if (typeof p !== "number" || !Number.isFinite(p) || p < 0) {
        throw new GraderError(
          `${at} ("${id}") needs metadata.nbgrader.points, a number ≥ 0 (got ${JSON.stringify(p)}).`,
          "ERR_GRADER_BAD_METADATA",
        );
      }
    }
    if (isSolution(cell) && meta.task === true) {
      throw new GraderError(
        `${at} ("${id}") is marked both as an answer cell and as a task; choose one.`,
        "ERR_GRADER_BAD_METADATA",
      );
    }
  });
  if (!nb.cells.some((c) => isGrade(c) || c.metadata.nbgrader?.task === true)) {
    throw new GraderError(
      `${where} has no graded cells: mark test cells with metadata.nbgrader {"grade": true, "points": N, "grade_id": "..."} ` +
        '(in JupyterLab: the nbgrader Create Assignment toolbar, "Autograder tests").',
      "ERR_GRADER_NO_GRADED_CELLS",
    );
  }
}
