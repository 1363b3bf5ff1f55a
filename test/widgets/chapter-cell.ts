/**
 * The interactive cell for the chapter notebooks (chapter 2, both editions): a slider for the
 * number of threads that redraws a timeline and a timing table. Kept here so the cell that goes
 * into the notebooks is the one the tests run.
 */

/** The code cell. */
export const THREAD_SLIDER_CELL = `import { interact } from "spindle/widgets";
import { Thread, prewarmThreads } from "spindle/threading";
import { sleep } from "spindle/time";
import { compare, timeline } from "spindle/timing";
import { display } from "spindle/display";

// Eight jobs of 0.1 s of waiting each, dealt out round-robin over \`threads\` worker threads.
async function shareJobs(threads: number, jobs = 8): Promise<void> {
  const workers = Array.from({ length: threads }, (_, w) => new Thread({
    name: \`worker \${w + 1}\`,
    target: async (mine: number) => { for (let j = 0; j < mine; j++) await sleep(0.1); },
    args: [Math.ceil((jobs - w) / threads)],
  }));
  for (const t of workers) t.start();
  for (const t of workers) await t.join();
}

prewarmThreads(8); // started threads wait in a pool, so the timeline shows the jobs, not thread start-up
await interact(async ({ threads }) => {
  display(await timeline(() => shareJobs(threads), { title: \`8 jobs of 0.1 s on \${threads} thread(s)\` }));
  display(await compare({ "1 thread": () => shareJobs(1), [\`\${threads} threads\`]: () => shareJobs(threads) }, { repeat: 1, title: "Wall time" }));
}, { threads: [1, 8] });`;

/** The markdown cell above it, English edition. */
export const THREAD_SLIDER_MARKDOWN_EN =
  "**Try it:** move the slider to change how many threads share eight jobs of 0.1 s of waiting; the timeline and the timing " +
  "table are redrawn on every change — the wall time falls as threads are added, until every thread has a single job.";

/** The markdown cell above it, Chinese edition. */
export const THREAD_SLIDER_MARKDOWN_ZH =
  "**动手试试：**拖动滑块，改变分担 8 个任务（每个等待 0.1 秒）的线程数；每次改变都会重画时间线和计时表——线程越多，总耗时越短，直到每个线程只剩一个任务。";
