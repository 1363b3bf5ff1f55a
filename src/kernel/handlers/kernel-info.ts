/** kernel_info_request (shell and control): the kernel's identity and language. */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { PROTOCOL_VERSION, type KernelInfoReplyContent } from "../../protocol";
import type { RequestHandler } from "./types";

/** Replies with the kernel_info built at start. */
export const kernelInfoRequest: RequestHandler<"kernel_info_request"> = async (_content, ctx) => ctx.kernel.kernelInfo;

/** Builds kernel_info_reply content; reads versions from package.json files (TypeScript itself is not loaded). */
export function buildKernelInfo(): KernelInfoReplyContent {
  const spindleVersion = packageVersion(join(__dirname, "..", "..", "..", "..", "package.json"));
  let tsVersion = "5";
  try {
    tsVersion = packageVersion(require.resolve("typescript/package.json"));
  } catch {
    // Not resolvable from here: keep the major version the project depends on.
  }
  return {
    status: "ok",
    protocol_version: PROTOCOL_VERSION,
    implementation: "spindle",
    implementation_version: spindleVersion,
    language_info: {
      name: "typescript",
      version: tsVersion,
      mimetype: "text/typescript",
      file_extension: ".ts",
      codemirror_mode: "typescript",
      pygments_lexer: "typescript",
      nbconvert_exporter: "script",
    },
    banner:
      `Spindle ${spindleVersion} — TypeScript ${tsVersion} on Node ${process.versions.node}, for learning concurrent programming.\n` +
      "Threads: spindle/threading, processes: spindle/multiprocessing, coroutines: spindle/asyncio.",
    help_links: [
      { text: "TypeScript handbook", url: "https://www.typescriptlang.org/docs/handbook/" },
      { text: "Node.js worker_threads", url: "https://nodejs.org/docs/latest-v20.x/api/worker_threads.html" },
      { text: "Node.js child_process", url: "https://nodejs.org/docs/latest-v20.x/api/child_process.html" },
    ],
    debugger: false,
  };
}

function packageVersion(path: string): string {
  const pkg = JSON.parse(readFileSync(path, "utf8")) as { version?: unknown };
  return typeof pkg.version === "string" ? pkg.version : "0.0.0";
}
