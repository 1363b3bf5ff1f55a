/**
 * Every notebook in the repository (chapters of both editions, assignments) is a valid nbformat 4.5 file by
 * Jupyter's own validator (Debian's python3-nbformat), with a unique id on every cell.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, it } from "node:test";
import { allNotebookFiles, ROOT } from "./notebook-files";

const VALIDATE = `
import copy, json, sys, warnings
import nbformat
warnings.simplefilter("ignore")
out = {}
for path in sys.argv[1:]:
    try:
        with open(path, encoding="utf-8") as f:
            nb = json.load(f)
        problems = []
        if (nb.get("nbformat"), nb.get("nbformat_minor")) < (4, 5):
            problems.append("nbformat %s.%s is older than 4.5" % (nb.get("nbformat"), nb.get("nbformat_minor")))
        ids = [c.get("id") for c in nb.get("cells", [])]
        if any(i is None for i in ids):
            problems.append("%d cell(s) without an id" % sum(1 for i in ids if i is None))
        if len(set(ids)) != len(ids):
            problems.append("duplicate cell ids")
        # Jupyter's validator, on a copy: it would quietly add missing ids to the object it checks.
        nbformat.validate(copy.deepcopy(nb), relax_add_props=False)
        out[path] = "; ".join(problems) or "ok"
    except Exception as e:
        out[path] = type(e).__name__ + ": " + str(e).splitlines()[0]
print(json.dumps(out))
`;

/** Validates `files` with nbformat; path → "ok" or what is wrong. */
function validate(files: string[]): Record<string, string> {
  const run = spawnSync("/usr/bin/python3", ["-c", VALIDATE, ...files], { encoding: "utf8", timeout: 120_000 });
  assert.equal(run.status, 0, `nbformat validation did not run (install python3-nbformat): ${run.stderr}`);
  return JSON.parse(run.stdout) as Record<string, string>;
}

describe("notebook files", () => {
  it("every notebook under notebooks/ validates against nbformat 4.5 with unique cell ids", () => {
    const files = allNotebookFiles();
    assert.ok(files.filter((f) => /notebooks\/0\d-/.test(f)).length >= 4, "the four English chapters are found");
    assert.ok(files.filter((f) => /notebooks\/zh\/0\d-/.test(f)).length >= 4, "the four Chinese chapters are found");
    const results = validate(files);
    const bad = Object.entries(results)
      .filter(([, r]) => r !== "ok")
      .map(([f, r]) => `${path.relative(ROOT, f)}: ${r}`);
    assert.deepEqual(bad, []);
    assert.equal(Object.keys(results).length, files.length);
  });

  it("the check rejects a notebook without cell ids and one with a bad output", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "spindle-nbformat-"));
    try {
      const base = { metadata: {}, nbformat: 4, nbformat_minor: 5 };
      const noIds = path.join(dir, "no-ids.ipynb");
      fs.writeFileSync(
        noIds,
        JSON.stringify({ ...base, cells: [{ cell_type: "markdown", metadata: {}, source: "hi" }] }),
      );
      const badOutput = path.join(dir, "bad-output.ipynb");
      const cell = {
        cell_type: "code",
        id: "a",
        metadata: {},
        source: "1",
        execution_count: 1,
        outputs: [{ output_type: "stream", text: "x" }],
      };
      fs.writeFileSync(badOutput, JSON.stringify({ ...base, cells: [cell] }));
      const results = validate([noIds, badOutput]);
      assert.notEqual(results[noIds], "ok");
      assert.match(results[badOutput] ?? "", /ValidationError/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
