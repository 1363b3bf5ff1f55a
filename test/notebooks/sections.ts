/**
 * The tutorial's 28 numbered sections, each of which must have a heading that
 * carries its number in one of the notebooks (the tutorial's chapter 3 has no 3.2).
 */
export const TUTORIAL_SECTIONS = [
  "1.1",
  "1.2",
  "1.3",
  "1.4",
  "2.1",
  "2.2",
  "2.3",
  "2.4",
  "2.5",
  "2.6",
  "2.7",
  "2.8",
  "2.9",
  "2.10",
  "2.11",
  "3.1",
  "3.3",
  "3.4",
  "3.5",
  "3.6",
  "3.7",
  "3.8",
  "4.1",
  "4.2",
  "4.3",
  "4.4",
  "4.5",
  "4.6",
] as const;

/** A notebook cell as stored in .ipynb files. */
export interface NotebookCell {
  cell_type: "code" | "markdown" | "raw";
  source: string | string[];
  outputs?: { output_type: string; name?: string; text?: string | string[]; ename?: string; evalue?: string }[];
}

/** The text of a cell's source. */
export function sourceOf(cell: NotebookCell): string {
  return Array.isArray(cell.source) ? cell.source.join("") : cell.source;
}

/** The section number a markdown heading line carries (`## 2.7 Race …` → "2.7"), if any. */
export function headingNumber(line: string): string | undefined {
  return /^#{1,6}\s+(\d+\.\d+)\b/.exec(line)?.[1];
}
