/**
 * Display width of CJK text: text tables, text timelines and SVG charts line Chinese labels up with English ones,
 * and the chart words follow the `lang` option.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { barChartSvg } from "../../src/display/bar-chart";
import { barChartText } from "../../src/display/bar-chart";
import { wordsFor } from "../../src/display/lang";
import { table } from "../../src/display/table";
import {
  displayWidth,
  padToWidth,
  textPixelWidth,
  truncateToPixels,
  truncateToWidth,
} from "../../src/display/text-width";
import { timelineSvg } from "../../src/timing/timeline-chart";
import type { TimelineLane } from "../../src/timing/timeline-model";
import { timelineText } from "../../src/timing/timeline-text";
import { TimelineGroup } from "../../src/timing/timeline-group";
import { Timeline } from "../../src/timing/timeline";
import { parseXml } from "./xml";

function lane(name: string, from: number, to: number): TimelineLane {
  return {
    name,
    pid: 1,
    alive: { from, to },
    running: [{ from, to }],
    waiting: [],
    sleeping: [],
    holding: [],
    markers: [],
  };
}

describe("display width", () => {
  it("counts wide characters as two columns, combining marks as none", () => {
    assert.equal(displayWidth("abc"), 3);
    assert.equal(displayWidth("大馒头"), 6);
    assert.equal(displayWidth("北京：第0次"), 11); // the fullwidth colon is wide too
    assert.equal(displayWidth("e\u0301"), 1);
    assert.equal(displayWidth("한국"), 4);
    assert.equal(displayWidth("𠀀"), 2); // outside the BMP
  });

  it("pads and truncates by columns, never splitting a wide character", () => {
    assert.equal(padToWidth("上海", 6), "上海  ");
    assert.equal(padToWidth("上海", 6, "right"), "  上海");
    assert.equal(truncateToWidth("生产者线程一号", 6), "生产…");
    assert.equal(displayWidth(truncateToWidth("生产者线程一号", 7)), 7);
    assert.equal(truncateToWidth("short", 10), "short");
    assert.ok(textPixelWidth("馒头") > textPixelWidth("ab"));
    assert.ok(textPixelWidth(truncateToPixels("消费者消费者消费者消费者", 60)) <= 60);
  });
});

describe("CJK labels in tables and charts", () => {
  it("a text table aligns Chinese and English cells in display columns", () => {
    const text = table([
      { 名字: "北京", n: 1 },
      { 名字: "Shanghai", n: 22 },
      { 名字: "大馒头铺", n: 333 },
    ]).toText();
    const lines = text.split("\n");
    const widths = lines.map(displayWidth);
    assert.equal(new Set(widths).size, 1, `every line has the same width:\n${text}`);
  });

  it("the text timeline aligns the Gantt rows of Chinese lane names and speaks Chinese with lang: zh", () => {
    const lanes = [lane("主线程", 0, 1), lane("生产者", 0, 0.5), lane("consumer", 0.5, 1)];
    const text = timelineText(lanes, 1, "生产者与消费者", [], 1, "zh");
    const rows = text.split("\n").filter((l) => l.includes("|"));
    assert.equal(rows.length, 3);
    const bars = rows.map((r) => displayWidth(r.slice(0, r.indexOf("|"))));
    assert.equal(new Set(bars).size, 1, `the bars start in the same column:\n${text}`);
    assert.match(text, /^生产者与消费者 — 3 条泳道, .*运行.*等待.*休眠/);
    assert.match(text, /泳道 +存活 +运行 +等待 +休眠 +持锁 +事件数/);
    const table = text.split("\n").slice(text.split("\n").findIndex((l) => l.startsWith("泳道")));
    assert.equal(new Set(table.slice(0, 5).map(displayWidth)).size <= 2, true); // header and rule, then rows
    assert.equal(
      displayWidth(table[0] ?? ""),
      displayWidth(table[1] ?? ""),
      `header and rule align:\n${table.join("\n")}`,
    );
    assert.doesNotMatch(timelineText(lanes, 1, "t", [], 1, "en"), /运行/);
  });

  it("the SVG timeline widens its label column for long Chinese names and translates the legend", () => {
    const svg = timelineSvg([lane("主线程", 0, 1), lane("生产者线程（大馒头）", 0, 1)], 1, {
      title: "时间线",
      lang: "zh",
    });
    const doc = parseXml(svg);
    const texts = Array.from(doc.getElementsByTagName("text")).map((t) => t.textContent ?? "");
    for (const word of ["运行", "等待（锁、队列、join…）", "休眠", "持有锁", "事件"])
      assert.ok(texts.includes(word), `legend has ${word}: ${texts.join(" | ")}`);
    assert.ok(texts.includes("生产者线程（大馒头）"), "the label fits whole");
    const bar = Array.from(doc.getElementsByTagName("rect")).find((r) =>
      (r.getAttribute("class") ?? "").includes("running"),
    );
    const labelRight = textPixelWidth("生产者线程（大馒头）");
    assert.ok(
      Number(bar?.getAttribute("x")) >= labelRight,
      `bars start right of the widest label (${bar?.getAttribute("x")} ≥ ${labelRight})`,
    );
    const en = timelineSvg([lane("main", 0, 1)], 1, {});
    assert.match(en, />running</);
    assert.doesNotMatch(en, /运行/);
  });

  it("a Timeline and a TimelineGroup carry lang to both renderings; a bad lang is a readable error", () => {
    const tl = new Timeline(undefined, [], 1, "北京与上海", 0, undefined, "zh");
    assert.match(tl.toText(), /没有记录到事件/);
    const group = new TimelineGroup([["串行", tl]]);
    assert.equal(group.lang, "zh");
    assert.throws(() => wordsFor("fr" as "en"), /lang must be "en" or "zh"/);
  });

  it("bar charts size labels by display width", () => {
    const text = barChartText([
      { label: "线程", value: 1 },
      { label: "processes", value: 2 },
    ]);
    const starts = text.split("\n").map((l) => displayWidth(l.slice(0, l.indexOf("█"))));
    assert.equal(starts[0], starts[1], text);
    const svg = barChartSvg([{ label: "十二个汉字的一个很长的标签", value: 1 }]);
    const rect = parseXml(svg).getElementsByTagName("rect")[0];
    assert.ok(Number(rect?.getAttribute("x")) >= textPixelWidth("十二个汉字的一个很长的标签"));
  });
});

describe("compare in Chinese", () => {
  it("names its columns and chart in the chosen language, aligned by display width", async () => {
    const { CompareResult } = await import("../../src/timing/compare");
    const row = (variant: string, median: number) => ({
      variant,
      runs: [median],
      median,
      min: median,
      max: median,
      cpu: median,
      speedup: 1,
      value: undefined,
    });
    const zh = new CompareResult([row("串行（单线程）", 0.4), row("4 条线程", 0.2)], "四件活", "zh");
    const text = zh.table().toText();
    assert.match(text, /方案 +耗时中位数 +最短 +最长 +CPU 时间 +CPU\/耗时 +相对「串行（单线程）」的加速比/);
    const lines = text.split("\n").slice(1);
    assert.equal(displayWidth(lines[0] ?? ""), displayWidth(lines[1] ?? ""), text);
    assert.match(zh.chartSvg(), /四件活：耗时中位数/);
    assert.match(new CompareResult([row("a", 1)]).table().toText(), /variant +median wall/);
  });
});
