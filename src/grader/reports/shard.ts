/**
 * Splitting a class across machines (`--shard i/n`) and joining the results
 * (`--merge`). Shards are chosen by position in the sorted list of students,
 * so every machine given the same files picks disjoint, covering shares.
 */
import { GraderError } from "../errors";
import { type GradeRow, sortRows } from "./csv";

/** A shard spec: this is shard `index` (1-based) of `count`. */
export interface Shard {
  index: number;
  count: number;
}

/** Parses "i/n" (1 ≤ i ≤ n). */
export function parseShard(text: string): Shard {
  const m = /^(\d+)\/(\d+)$/.exec(text.trim());
  const index = m ? Number(m[1]) : NaN;
  const count = m ? Number(m[2]) : NaN;
  if (!m || count < 1 || index < 1 || index > count) {
    throw new GraderError(
      `--shard must look like i/n with 1 ≤ i ≤ n, e.g. --shard 2/4 (got "${text}").`,
      "ERR_GRADER_USAGE",
    );
  }
  return { index, count };
}

/** The items of shard `shard`, taken round-robin from `items` sorted by `key`. */
export function selectShard<T>(items: T[], shard: Shard, key: (item: T) => string): T[] {
  const sorted = [...items].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
  return sorted.filter((_, i) => i % shard.count === shard.index - 1);
}

/** Joins the rows of several shards; a student found in two shards is an error. */
export function mergeShards(shards: { where: string; rows: GradeRow[] }[]): GradeRow[] {
  const owner = new Map<string, string>();
  const all: GradeRow[] = [];
  for (const { where, rows } of shards) {
    for (const row of rows) {
      const seen = owner.get(row.student);
      if (seen !== undefined && seen !== where) {
        throw new GraderError(
          `Student "${row.student}" appears in both ${seen} and ${where}; merge only CSVs of different shards of one run.`,
          "ERR_GRADER_BAD_CSV",
        );
      }
      owner.set(row.student, where);
      all.push(row);
    }
  }
  checkSameCells(all);
  return sortRows(all);
}

/** Every student of one assignment has the same cells with the same max points. */
function checkSameCells(rows: GradeRow[]): void {
  const perStudent = new Map<string, string[]>();
  for (const r of rows) {
    const list = perStudent.get(r.student) ?? [];
    list.push(`${r.cell}/${r.max}`);
    perStudent.set(r.student, list);
  }
  let first: [string, string] | undefined;
  for (const [student, cells] of perStudent) {
    const shape = cells.join(" ");
    if (!first) first = [student, shape];
    else if (shape !== first[1]) {
      throw new GraderError(
        `Students "${first[0]}" and "${student}" have different graded cells or points; these CSVs come from different assignments.`,
        "ERR_GRADER_BAD_CSV",
      );
    }
  }
}
