/**
 * The words Spindle's charts and tables draw themselves (legends, axis and column names, notes), in English or
 * Simplified Chinese, so a chart in a Chinese notebook reads Chinese throughout. Choose with the `lang` option.
 */
import { SpindleError } from "../errors";

/** Languages of chart and table words. */
export type DisplayLang = "en" | "zh";

const EN = {
  timeline: "Timeline",
  lanes: (n: number) => `${n} lane(s)`,
  running: "running",
  waiting: "waiting",
  waitingLong: "waiting (lock, queue, join…)",
  sleeping: "sleeping",
  holding: "holding",
  holdingLong: "holding a lock",
  event: "event",
  lane: "lane",
  alive: "alive",
  events: "events",
  noEvents: "(no events were recorded: only Spindle's threads, processes, tasks, locks, queues and sleeps record)",
  limited: (n: number) => `(${n} events beyond the per-thread limit were counted but not drawn)`,
  dropped: (n: number) => `(${n} events were lost: the recording buffer was full)`,
  overview: (lanes: number, duration: string) => `Timeline of ${lanes} lane(s) over ${duration}`,
  variant: "variant",
  medianWall: "median wall",
  min: "min",
  max: "max",
  cpuTime: "CPU time",
  cpuPerWall: "CPU/wall",
  speedupVs: (first: string) => `speedup vs ${first}`,
  medianWallTitle: (title?: string) => (title ? `${title}: median wall time` : "Median wall time"),
  wallAxis: "seconds (bars: median, whiskers: min–max)",
};

/** The word table of one language. */
export type Words = typeof EN;

const ZH: Words = {
  timeline: "时间线",
  lanes: (n: number) => `${n} 条泳道`,
  running: "运行",
  waiting: "等待",
  waitingLong: "等待（锁、队列、join…）",
  sleeping: "休眠",
  holding: "持锁",
  holdingLong: "持有锁",
  event: "事件",
  lane: "泳道",
  alive: "存活",
  events: "事件数",
  noEvents: "（没有记录到事件：只有 Spindle 的线程、进程、任务、锁、队列和 sleep 会记录）",
  limited: (n: number) => `（另有 ${n} 个事件超出每线程上限，已计数但未画出）`,
  dropped: (n: number) => `（丢失了 ${n} 个事件：记录缓冲区已满）`,
  overview: (lanes: number, duration: string) => `${lanes} 条泳道、共 ${duration} 的时间线`,
  variant: "方案",
  medianWall: "耗时中位数",
  min: "最短",
  max: "最长",
  cpuTime: "CPU 时间",
  cpuPerWall: "CPU/耗时",
  speedupVs: (first: string) => `相对「${first}」的加速比`,
  medianWallTitle: (title?: string) => (title ? `${title}：耗时中位数` : "耗时中位数"),
  wallAxis: "秒（条：中位数，须线：最短–最长）",
};

const WORDS: Record<DisplayLang, Words> = { en: EN, zh: ZH };

/** The chart words of `lang` (default English); an unknown language is an error naming the choices. */
export function wordsFor(lang: DisplayLang = "en"): Words {
  const words = (WORDS as Partial<Record<string, Words>>)[lang];
  if (!words) {
    throw new SpindleError(`lang must be "en" or "zh", got ${JSON.stringify(lang)}.`, "ERR_SPINDLE_DISPLAY_LANG");
  }
  return words;
}
