/** The timeline as plain text: a character Gantt chart and a per-lane summary table. */
import { formatSeconds } from "../display/format";
import { wordsFor, type DisplayLang } from "../display/lang";
import { Table } from "../display/table";
import { displayWidth, padToWidth, truncateToWidth } from "../display/text-width";
import { overlapSeconds, totalLength, type Interval, type TimelineLane } from "./timeline-model";

const COLUMNS = 60;
const NAME_COLUMNS = 20;
const GLYPH = { running: "█", waiting: "░", sleeping: "·", none: " " } as const;

/** A character Gantt: one row per lane, each column the state that filled most of its time slice. */
export function timelineGantt(lanes: readonly TimelineLane[], duration: number, axisSeconds = duration): string {
  const axis = Math.max(axisSeconds, duration, 1e-9);
  // Lane names are measured in display columns, so Chinese names (two columns a character) line up too.
  const nameW = Math.min(NAME_COLUMNS, Math.max(4, ...lanes.map((l) => displayWidth(l.name))));
  const rows = lanes.map((lane) => {
    let row = "";
    for (let c = 0; c < COLUMNS; c++) {
      const slice = { from: (c * axis) / COLUMNS, to: ((c + 1) * axis) / COLUMNS };
      const share = {
        running: overlapSeconds(lane.running, [slice]),
        waiting: overlapSeconds(lane.waiting, [slice]),
        sleeping: overlapSeconds(lane.sleeping, [slice]),
      };
      const best = (Object.entries(share) as Array<[keyof typeof share, number]>).sort((a, b) => b[1] - a[1])[0];
      row += best && best[1] > 0 ? GLYPH[best[0]] : GLYPH.none;
    }
    return `${padToWidth(truncateToWidth(lane.name, nameW), nameW)} |${row}|`;
  });
  const scale = `${" ".repeat(nameW)}  0${formatSeconds(axis).padStart(COLUMNS - 1)}`;
  return [...rows, scale].join("\n");
}

/** Per-lane totals: alive, running, waiting, sleeping, holding (seconds) and event count. */
export function timelineSummary(lanes: readonly TimelineLane[], lang: DisplayLang = "en"): Table {
  const words = wordsFor(lang);
  const sum = (ivs: Interval[]): string => formatSeconds(totalLength(ivs));
  const keys = ["lane", "alive", "running", "waiting", "sleeping", "holding", "events"] as const;
  return new Table(
    lanes.map((l) => ({
      lane: l.name,
      alive: formatSeconds(l.alive.to - l.alive.from),
      running: sum(l.running),
      waiting: sum(l.waiting),
      sleeping: sum(l.sleeping),
      holding: sum(l.holding),
      events: l.markers.length,
    })),
    { columns: keys.map((key) => ({ key, label: words[key], align: key === "lane" ? "left" : "right" })) },
  );
}

/** The full text form: title line, legend, Gantt rows, then the summary table. */
export function timelineText(
  lanes: readonly TimelineLane[],
  duration: number,
  title: string,
  notes: string[] = [],
  axisSeconds = duration,
  lang: DisplayLang = "en",
): string {
  const words = wordsFor(lang);
  const legend = `${GLYPH.running} ${words.running}  ${GLYPH.waiting} ${words.waiting}  ${GLYPH.sleeping} ${words.sleeping}`;
  const head = `${title} — ${words.lanes(lanes.length)}, ${formatSeconds(duration)}   (${legend})`;
  if (lanes.length === 0) return `${head}\n${words.noEvents}`;
  return [head, timelineGantt(lanes, duration, axisSeconds), "", timelineSummary(lanes, lang).toText(), ...notes].join(
    "\n",
  );
}
