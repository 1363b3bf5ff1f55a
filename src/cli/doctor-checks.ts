/**
 * The checks behind `spindle doctor`. Each returns findings (ok / warn / fail,
 * what was seen, what to do); none throws for a problem it was asked to find.
 */
import { execFile } from "node:child_process";
import { accessSync, constants, readFileSync, statSync } from "node:fs";
import { basename, delimiter, dirname, join, resolve } from "node:path";
import { promisify } from "node:util";
import { startKernel } from "../client";
import { packageVersion, snapshotState } from "../executor/snapshot/fingerprint";
import { cpuQuota, memoryLimit, workerHeapMb } from "../runtime/resources";
import { PACKAGE_ROOT } from "./install";
import { findKernelspecs, readKernelspecs, specArgv, type FoundKernelspec } from "./kernelspec-paths";
import { descendantsOf, isAlive, waitGone } from "../system/process-tree";

const run = promisify(execFile);

/** One line of the doctor's report. */
export interface Finding {
  status: "ok" | "warn" | "fail";
  /** What was checked and what was seen. */
  text: string;
  /** What to do about a warn or fail. */
  fix?: string;
}

/** The installed kernelspec Jupyter would pick, and what the others are. */
export async function checkKernelspec(
  name: string,
  env: NodeJS.ProcessEnv,
  jupyterDir?: string,
): Promise<{ findings: Finding[]; spec?: FoundKernelspec; argv?: string[] }> {
  const found = await findKernelspecs(name, env);
  // Jupyter may look in a place Spindle cannot guess (a Python environment's prefix that is not active).
  if (found.length === 0 && jupyterDir) found.push(...(await readKernelspecs([jupyterDir])));
  const chosen = found[0];
  if (!chosen) {
    return {
      findings: [
        {
          status: "fail",
          text: `no kernelspec named "${name}" on Jupyter's search path`,
          fix: "Run `spindle install --user` (just you) or, as root, `spindle install --prefix /usr/local` (everyone); after `--prefix P` set JUPYTER_PATH=P/share/jupyter.",
        },
      ],
    };
  }
  const findings: Finding[] = [];
  const argv = specArgv(chosen);
  if (!argv) {
    findings.push({
      status: "fail",
      text: `kernelspec ${chosen.dir}: ${chosen.error ?? "kernel.json has no argv"}`,
      fix: `Reinstall it: spindle uninstall and spindle install with the same target.`,
    });
    return { findings, spec: chosen };
  }
  findings.push({ status: "ok", text: `kernelspec "${name}": ${chosen.dir}\n        runs: ${argv.join(" ")}` });
  for (const other of found.slice(1)) {
    findings.push({
      status: "warn",
      text: `another "${name}" kernelspec is shadowed by the one above: ${other.dir}`,
      fix: `Remove the one you do not want (spindle uninstall --user / --prefix P / --sys-prefix).`,
    });
  }
  const missing = argv.filter((a, i) => (i === 0 || a.endsWith(".js")) && !isRunnable(a, env, i === 0));
  if (missing.length > 0) {
    findings.push({
      status: "fail",
      text: `the kernelspec runs ${missing.join(", ")}, which ${missing.length === 1 ? "does" : "do"} not exist (Node or Spindle moved?)`,
      fix: "Run `spindle install` again with the same target, using the Node and Spindle you want.",
    });
  }
  return { findings, spec: chosen, argv };
}

/** Node and TypeScript as the kernelspec will run them (its node binary, its Spindle's TypeScript). */
export async function checkRuntime(argv: string[] | undefined): Promise<Finding[]> {
  const findings: Finding[] = [];
  const node = argv?.[0] ?? process.execPath;
  let version = process.version;
  if (node !== process.execPath) {
    try {
      version = (await run(node, ["--version"], { timeout: 20_000 })).stdout.trim();
    } catch (err) {
      return [
        {
          status: "fail",
          text: `cannot run the kernelspec's node (${node}): ${(err as Error).message}`,
          fix: "Run `spindle install` again with a working Node 20 or later.",
        },
      ];
    }
  }
  const major = Number(/^v(\d+)/.exec(version)?.[1]);
  findings.push(
    major >= 20
      ? { status: "ok", text: `Node ${version} (${node})` }
      : {
          status: "fail",
          text: `Node ${version} (${node}) is too old`,
          fix: "Spindle needs Node 20 or later; install it and run `spindle install` again.",
        },
  );
  const script = argv?.find((a) => basename(a) === "spindle.js");
  const root = script ? resolve(dirname(script), "..") : PACKAGE_ROOT;
  if (root !== PACKAGE_ROOT)
    findings.push({
      status: "warn",
      text: `the kernelspec runs the Spindle in ${root}, not this one (${PACKAGE_ROOT})`,
      fix: "Fine if intended; otherwise run this Spindle's `spindle install`.",
    });
  try {
    const ts = JSON.parse(readFileSync(require.resolve("typescript/package.json", { paths: [root] }), "utf8")) as {
      version: string;
    };
    findings.push({ status: "ok", text: `TypeScript ${ts.version} (${root})` });
  } catch {
    findings.push({
      status: "fail",
      text: `TypeScript is not installed for the Spindle in ${root}`,
      fix: `Run \`npm install\` in ${root}.`,
    });
  }
  return findings;
}

/** Whether the executor's start-up snapshot is built and current (a missing one costs start-up time only; the next kernel builds it). */
export function checkSnapshot(env: NodeJS.ProcessEnv = process.env): Finding {
  const s = snapshotState(env);
  const where = s.files.blob.startsWith(PACKAGE_ROOT) ? s.files.blob.slice(PACKAGE_ROOT.length + 1) : s.files.blob;
  const build = `The next kernel builds it in the background (about ${"3–10"} s); to build it now: \`${process.execPath} ${join(PACKAGE_ROOT, "dist", "src", "executor", "snapshot", "build.js")} --target ${s.files.blob}\`.`;
  if (s.state === "current") {
    const mb = (statSync(s.files.blob).size / 1024 / 1024).toFixed(1);
    return {
      status: "ok",
      text: `executor snapshot ${where}: up to date for Node ${process.version} (${process.platform}-${process.arch}) and Spindle ${packageVersion()} (${mb} MB)`,
    };
  }
  if (s.state === "missing") {
    return {
      status: "warn",
      text: `executor snapshot ${where}: missing (kernels start about a second slower until it is built)`,
      fix: build,
    };
  }
  return {
    status: "warn",
    text: `executor snapshot ${where}: stale (built for other files or another Node); kernels start without it`,
    fix: build,
  };
}

/** The CPU quota and memory limit this process sees, and what pools will do with them. */
export function checkResources(env: NodeJS.ProcessEnv): Finding[] {
  const cpu = cpuQuota({ env });
  const cpuText =
    cpu.source === "cores"
      ? `CPU quota: none set; ${cpu.count} CPU${cpu.count === 1 ? "" : "s"} available`
      : `CPU quota: ${cpu.cpus} (${cpu.source}) of ${cpu.hardware} CPUs`;
  const mem = memoryLimit({ env });
  const heap = workerHeapMb({ env });
  const memText =
    mem.bytes === undefined
      ? "memory limit: none set"
      : `memory limit: ${(mem.bytes / 1024 / 1024).toFixed(0)} MiB (${mem.source})`;
  return [
    { status: "ok", text: `${cpuText}; pools default to ${cpu.count} worker${cpu.count === 1 ? "" : "s"}` },
    {
      status: "ok",
      text: `${memText}; ${heap === undefined ? "worker heaps use V8's default" : `each worker's heap is capped at ${heap} MB`}`,
    },
  ];
}

/** What the `jupyter` command itself lists (a cross-check of Spindle's own search), or a warn when there is none. */
export async function checkJupyterSees(
  name: string,
  env: NodeJS.ProcessEnv,
): Promise<{ finding: Finding; resourceDir?: string }> {
  const jupyter = env.SPINDLE_JUPYTER || findOnPath("jupyter", env);
  if (!jupyter)
    return {
      finding: {
        status: "warn",
        text: "no `jupyter` command on PATH: skipped asking Jupyter which kernels it sees",
        fix: "Set SPINDLE_JUPYTER to the jupyter command of the server that will run Spindle.",
      },
    };
  let listed: Record<string, { resource_dir?: string }>;
  try {
    const { stdout } = await run(jupyter, ["kernelspec", "list", "--json"], { env, timeout: 60_000 });
    listed = (JSON.parse(stdout) as { kernelspecs: Record<string, { resource_dir?: string }> }).kernelspecs;
  } catch (err) {
    return {
      finding: {
        status: "warn",
        text: `\`${jupyter} kernelspec list\` failed: ${(err as Error).message.split("\n")[0]}`,
        fix: "Check that Jupyter itself works (e.g. `jupyter --version`).",
      },
    };
  }
  const dir = listed[name]?.resource_dir;
  if (!dir) {
    return {
      finding: {
        status: "fail",
        text: `${jupyter} does not list a "${name}" kernel (it lists: ${Object.keys(listed).join(", ") || "none"})`,
        fix: "Install where this Jupyter looks (`spindle install --prefix /usr/local` or `--user`), or add P/share/jupyter to JUPYTER_PATH.",
      },
    };
  }
  return { finding: { status: "ok", text: `${jupyter} lists "${name}" at ${dir}` }, resourceDir: dir };
}

/** A warn when Jupyter picks another kernelspec directory than the one checked. */
export function compareChoice(jupyterDir: string | undefined, checkedDir: string | undefined): Finding | undefined {
  if (!jupyterDir || !checkedDir || resolve(jupyterDir) === resolve(checkedDir)) return undefined;
  return {
    status: "warn",
    text: `Jupyter picks ${jupyterDir}, the checks above looked at ${checkedDir}`,
    fix: "Remove the kernelspec you do not want (spindle uninstall with its target).",
  };
}

/** Starts the kernel as the kernelspec says, runs `1+1`, shuts it down, and checks nothing stays behind. */
export async function checkRoundTrip(argv: string[] | undefined, specEnv: unknown, timeout: number): Promise<Finding> {
  let stderr = "";
  const started = Date.now();
  const env = { ...process.env, ...(isStringRecord(specEnv) ? specEnv : {}) };
  let kernel;
  try {
    kernel = await startKernel({ argv, env, startupTimeout: timeout, stderr: (t) => (stderr += t) });
  } catch (err) {
    return {
      status: "fail",
      text: `round trip: the kernel did not start: ${(err as Error).message}${tail(stderr)}`,
      fix: "Run the kernelspec's command by hand to see its error; reinstall with `spindle install`.",
    };
  }
  const startMs = Date.now() - started;
  const pid = kernel.pid;
  const children = pid === undefined ? [] : descendantsOf(pid);
  try {
    const t0 = Date.now();
    const result = await kernel.client.execute("1+1", { timeout });
    const execMs = Date.now() - t0;
    const value = result.outputs.find((m) => m.header.msg_type === "execute_result")?.content as
      | { data?: Record<string, unknown> }
      | undefined;
    const text = value?.data?.["text/plain"];
    if (result.status !== "ok" || text !== "2") {
      return {
        status: "fail",
        text: `round trip: 1+1 gave status ${result.status}${result.timedOut ? " (timed out)" : ""} and ${JSON.stringify(text)}, not 2${tail(stderr)}`,
        fix: "Run `npm run build` in the Spindle checkout and try again; report the output above if it persists.",
      };
    }
    const t1 = Date.now();
    const exit = await kernel.shutdown(timeout);
    const stopMs = Date.now() - t1;
    const left = children.filter(isAlive);
    if (left.length > 0 && !(await waitGone(left, 5_000))) {
      return {
        status: "fail",
        text: `round trip: after shutdown these kernel processes still run: ${left.join(", ")}`,
        fix: "Kill them, and report it: a Spindle kernel must not leave processes behind.",
      };
    }
    return {
      status: "ok",
      text: `round trip: kernel answered in ${startMs} ms, 1+1 = 2 in ${execMs} ms more (the first cell waits for the executor to start), shut down in ${stopMs} ms (exit ${exit.code ?? exit.signal})`,
    };
  } catch (err) {
    await kernel.kill().catch(() => undefined);
    return {
      status: "fail",
      text: `round trip failed: ${(err as Error).message}${tail(stderr)}`,
      fix: "Run `npm run build` in the Spindle checkout and try again.",
    };
  }
}

function isRunnable(file: string, env: NodeJS.ProcessEnv, command: boolean): boolean {
  const candidates =
    command && !file.includes("/") ? (env.PATH ?? "").split(delimiter).map((d) => join(d, file)) : [file];
  return candidates.some((f) => {
    try {
      accessSync(f, command ? constants.X_OK : constants.R_OK);
      return true;
    } catch {
      return false;
    }
  });
}

function findOnPath(command: string, env: NodeJS.ProcessEnv): string | undefined {
  return (env.PATH ?? "")
    .split(delimiter)
    .filter((d) => d !== "")
    .map((d) => join(d, command))
    .find((f) => isRunnable(f, env, true));
}

function isStringRecord(value: unknown): value is Record<string, string> {
  return typeof value === "object" && value !== null && Object.values(value).every((v) => typeof v === "string");
}

function tail(stderr: string): string {
  const lines = stderr.trim().split("\n").slice(-5).join("\n        ");
  return lines ? `\n        kernel stderr: ${lines}` : "";
}
