/**
 * The chapter notebooks are committed executed: built from their Markdown sources (ids and sources match), every
 * code cell has outputs and none is an error, the first cell records the machine, and the hash of the code that
 * produced the outputs (metadata.spindle.sources_sha256) matches the code as it is now — outputs never go stale.
 * Also the Chinese edition's headings: all 28 tutorial sections, in Chinese.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { describe, it } from "node:test";
import { NOTEBOOKS, notebookSource, readStored, textOf, type StoredNotebook } from "./notebook-files";
import { headingNumber, TUTORIAL_SECTIONS } from "./sections";

const chapters = notebookSource.chapters();

describe("chapter notebooks as committed", () => {
  it("both editions have the four chapters", () => {
    for (const lang of ["en", "zh"]) {
      assert.deepEqual(
        chapters.filter((c) => c.lang === lang).map((c) => c.name),
        ["01-concurrency-basics", "02-threads", "03-processes", "04-coroutines"],
      );
    }
  });

  for (const chapter of chapters) {
    describe(`${chapter.lang}/${chapter.name}`, () => {
      const nb: StoredNotebook = readStored(chapter.ipynb);

      it("is the notebook its Markdown source builds (same ids, same sources)", () => {
        const built = notebookSource.buildNotebook(fs.readFileSync(chapter.md, "utf8"), undefined, chapter.lang);
        const shape = (n: StoredNotebook) => n.cells.map((c) => [c.id, c.cell_type, textOf(c.source)]);
        assert.deepEqual(shape(nb), shape(built), `rebuild it: node notebooks/src/build.js --lang ${chapter.lang}`);
      });

      it("has saved outputs produced by the code it holds now", () => {
        const meta = nb.metadata.spindle;
        assert.ok(meta?.sources_sha256, "no outputs saved: run npm run notebooks");
        assert.equal(
          meta.sources_sha256,
          notebookSource.sourcesHash(nb.cells),
          "the code changed since the outputs were saved: run npm run notebooks",
        );
        const code = nb.cells.filter((c) => c.cell_type === "code");
        for (const cell of code) {
          const outputs = cell.outputs ?? [];
          assert.ok(outputs.length > 0, `cell ${cell.id} has no saved output`);
          assert.equal(typeof cell.execution_count, "number", `cell ${cell.id} was not executed`);
          const errors = outputs.filter((o) => o.output_type === "error");
          assert.deepEqual(
            errors.map((e) => `${e.ename}: ${e.evalue}`),
            [],
            `cell ${cell.id} saved an error`,
          );
        }
      });

      it("records the machine in its first code cell", () => {
        const first = nb.cells.find((c) => c.cell_type === "code");
        const text = (first?.outputs ?? []).map((o) => textOf(o.text)).join("");
        assert.match(text, /Node v\d+/);
        assert.match(text, /\d+ (CPU )?cores?|\d+ 个 CPU 核/);
        assert.match(text, /\d{4}-\d\d-\d\d/);
        assert.equal(typeof nb.metadata.spindle?.machine?.["cores"], "number");
      });
    });
  }

  it("the Chinese edition has a heading for each of the 28 tutorial sections, written in Chinese", () => {
    const headings = new Map<string, string>();
    for (const chapter of chapters.filter((c) => c.lang === "zh")) {
      for (const cell of readStored(chapter.ipynb).cells.filter((c) => c.cell_type === "markdown")) {
        for (const line of textOf(cell.source).split("\n")) {
          const n = headingNumber(line);
          if (n && !headings.has(n)) headings.set(n, line);
        }
      }
    }
    for (const section of TUTORIAL_SECTIONS) {
      const line = headings.get(section);
      assert.ok(line, `no Chinese heading for ${section}`);
      assert.match(line, /[\u4e00-\u9fff]/, `heading ${line} is not in Chinese`);
    }
  });

  it("the Chinese edition has a glossary of the terms and their Spindle names", () => {
    const first = chapters.find((c) => c.lang === "zh" && c.name.startsWith("01"));
    assert.ok(first);
    const text = readStored(first.ipynb)
      .cells.map((c) => textOf(c.source))
      .join("\n");
    for (const [term, api] of [
      ["互斥锁", "Lock"],
      ["信号量", "Semaphore"],
      ["守护线程", "daemon"],
      ["协程", "async"],
      ["进程池", "Pool"],
      ["死锁", "onDeadlock"],
    ]) {
      assert.match(text, new RegExp(`${term}[^\\n]*${api}`), `glossary row for ${term} ↔ ${api}`);
    }
  });
});

describe("notebook builder", () => {
  const md =
    "# T\n\nintro\n\n```ts\nsetup();\n```\n\n## 2.7 Locks\n\ntext\n\n```ts\na();\n```\n\n```ts\nb();\n```\n\n## 2.8 Deadlock\n\n```ts\nc();\n```\n";

  it("derives ids from section and position, so a cell added to one section renumbers only that section", () => {
    const ids = notebookSource.parseMarkdown(md).map((c) => c.id);
    assert.deepEqual(ids, ["intro-1", "intro-2", "s2-7-1", "s2-7-2", "s2-7-3", "s2-8-1", "s2-8-2"]);
    assert.deepEqual(
      notebookSource.parseMarkdown(md).map((c) => c.id),
      ids,
      "rebuilding gives the same ids",
    );
    const grown = notebookSource
      .parseMarkdown(md.replace("```ts\nb();", "```ts\nnew1();\n```\n\n```ts\nb();"))
      .map((c) => c.id);
    assert.deepEqual(
      grown.filter((id) => !id?.startsWith("s2-7")),
      ids.filter((id) => !id?.startsWith("s2-7")),
    );
  });

  it("changes the sources hash when code changes, not when prose changes", () => {
    const hash = (text: string) => notebookSource.sourcesHash(notebookSource.parseMarkdown(text));
    assert.equal(hash(md), hash(md.replace("text", "other words")));
    assert.notEqual(hash(md), hash(md.replace("a();", "a(1);")));
  });

  it("keeps saved outputs of unchanged cells and drops those of changed ones", () => {
    const previous = notebookSource.buildNotebook(md, undefined, "en");
    for (const c of previous.cells)
      if (c.cell_type === "code") c.outputs = [{ output_type: "stream", name: "stdout", text: "old" }];
    const rebuilt = notebookSource.buildNotebook(md.replace("b();", "b(2);"), previous, "en");
    const outputsOf = (id: string) => rebuilt.cells.find((c) => c.id === id)?.outputs?.length;
    assert.equal(outputsOf("s2-7-2"), 1);
    assert.equal(outputsOf("s2-7-3"), 0);
  });
});

describe("notebook scripts", () => {
  for (const script of ["build.js", "run.js", "start.js"]) {
    it(`${script} refuses an unknown edition with a readable message`, () => {
      const r = spawnSync(process.execPath, [path.join(NOTEBOOKS, "src", script), "--lang", "fr"], {
        encoding: "utf8",
        timeout: 30_000,
      });
      assert.equal(r.status, 2);
      assert.match(r.stderr, /--lang takes en or zh, got "fr"/);
    });
  }
});
