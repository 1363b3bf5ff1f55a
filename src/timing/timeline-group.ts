/** Several timelines shown together on one time scale: "serial vs parallel vs concurrent" at a glance. */
import { escapeXml } from "../display/escape";
import { wordsFor, type DisplayLang } from "../display/lang";
import { formatSeconds } from "../display/format";
import { JUPYTER_DISPLAY, type MimeBundle } from "../display/mime";
import type { Timeline } from "./timeline";
import { timelineSvg } from "./timeline-chart";
import { timelineText } from "./timeline-text";

/** Named timelines drawn with the same time axis, one chart under the other. */
export class TimelineGroup {
  /** Creates a group from named timelines (in display order). */
  constructor(
    readonly timelines: ReadonlyArray<readonly [string, Timeline]>,
    /** Language of the charts' words (default: that of the first timeline). */
    readonly lang: DisplayLang = timelines[0]?.[1].lang ?? "en",
  ) {
    wordsFor(lang);
  }

  /** The longest duration, which every chart's axis uses. */
  get axisSeconds(): number {
    return Math.max(0, ...this.timelines.map(([, t]) => t.duration));
  }

  /** One SVG chart per timeline, on the shared axis. */
  svgs(): string[] {
    return this.timelines.map(([name, t]) =>
      timelineSvg(t.lanes, t.duration, {
        title: `${name} — ${formatSeconds(t.duration)}`,
        axisSeconds: this.axisSeconds,
        lang: this.lang,
      }),
    );
  }

  /** Text charts on the shared axis. */
  toText(): string {
    return this.timelines
      .map(([name, t]) => timelineText(t.lanes, t.duration, name, t.notes(), this.axisSeconds, this.lang))
      .join("\n\n");
  }

  /** HTML with the charts stacked, text charts otherwise. */
  [JUPYTER_DISPLAY](): MimeBundle {
    const html = this.svgs()
      .map(
        (svg, i) => `<div class="spindle-timeline" data-name="${escapeXml(this.timelines[i]?.[0] ?? "")}">${svg}</div>`,
      )
      .join("");
    return { "text/html": `<div class="spindle-timelines">${html}</div>`, "text/plain": this.toText() };
  }
}

/** Groups timelines for display on one time scale, e.g. `timelines({ serial, parallel, concurrent })`. */
export function timelines(named: Record<string, Timeline>, options: { lang?: DisplayLang } = {}): TimelineGroup {
  const entries = Object.entries(named);
  return new TimelineGroup(entries, options.lang ?? entries[0]?.[1].lang);
}
