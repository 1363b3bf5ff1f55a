/**
 * Debian's jupyter-server on 127.0.0.1 with a token and a private Jupyter home,
 * the Spindle kernelspec installed into a temp prefix. Everything it starts is
 * stopped by `stop()`, which also reports processes left behind.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { installKernelspec } from "../../src/cli/install";
import { freePorts } from "../../src/client";
import { descendants, isAlive, waitAllDead } from "../helpers/procs";

/** A running server. */
export interface JupyterServer {
  url: string;
  wsUrl: string;
  token: string;
  rootDir: string;
  process: ChildProcess;
  log(): string;
  /** Live descendants of the server (kernels and their executors). */
  family(): number[];
  /** Shuts the server down (REST, then SIGTERM, then SIGKILL); returns pids that had to be killed. */
  stop(): Promise<number[]>;
}

/** Starts jupyter-server and waits until it lists the spindle kernelspec. */
export async function startJupyterServer(): Promise<JupyterServer> {
  const tmp = mkdtempSync(join(tmpdir(), "spindle-jupyter-server-"));
  const prefix = join(tmp, "prefix");
  const rootDir = join(tmp, "root");
  mkdirSync(rootDir);
  await installKernelspec({ target: { kind: "prefix", prefix } });
  const [port] = await freePorts(1);
  const token = randomBytes(16).toString("hex");
  const env = {
    ...process.env,
    JUPYTER_PATH: join(prefix, "share", "jupyter"),
    JUPYTER_CONFIG_DIR: join(tmp, "config"),
    JUPYTER_DATA_DIR: join(tmp, "data"),
    JUPYTER_RUNTIME_DIR: join(tmp, "runtime"),
    JUPYTER_PLATFORM_DIRS: "1",
  };
  const proc = spawn(
    "/usr/bin/python3",
    [
      "-m",
      "jupyter_server",
      "--allow-root",
      "--ServerApp.ip=127.0.0.1",
      `--ServerApp.port=${port}`,
      "--ServerApp.port_retries=0",
      `--ServerApp.token=${token}`,
      `--ServerApp.root_dir=${rootDir}`,
      "--ServerApp.open_browser=False",
    ],
    { env, stdio: ["ignore", "pipe", "pipe"] },
  );
  let log = "";
  proc.stdout.on("data", (d: Buffer) => (log += d));
  proc.stderr.on("data", (d: Buffer) => (log += d));
  const url = `http://127.0.0.1:${port}`;
  const server: JupyterServer = {
    url,
    wsUrl: `ws://127.0.0.1:${port}`,
    token,
    rootDir,
    process: proc,
    log: () => log,
    family: () => descendants(proc.pid!),
    stop: async () => {
      const family = [proc.pid!, ...descendants(proc.pid!)];
      await fetch(`${url}/api/shutdown`, { method: "POST", headers: { Authorization: `token ${token}` } }).catch(
        () => undefined,
      );
      if (!(await waitAllDead([proc.pid!], 10_000))) proc.kill("SIGTERM");
      if (!(await waitAllDead([proc.pid!], 5000))) proc.kill("SIGKILL");
      const clean = await waitAllDead(family, 5000);
      const left = clean ? [] : family.filter(isAlive);
      for (const pid of left) process.kill(pid, "SIGKILL");
      rmSync(tmp, { recursive: true, force: true });
      return left;
    },
  };
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (proc.exitCode !== null) throw new Error(`jupyter-server exited (${proc.exitCode}):\n${log}`);
    if (Date.now() > deadline) {
      await server.stop();
      throw new Error(`jupyter-server did not answer within 60 s:\n${log}`);
    }
    try {
      const res = await fetch(`${url}/api/kernelspecs`, { headers: { Authorization: `token ${token}` } });
      if (res.ok) {
        const specs = (await res.json()) as { kernelspecs: Record<string, unknown> };
        if (!("spindle" in specs.kernelspecs)) {
          await server.stop();
          throw new Error(
            `jupyter-server does not see the spindle kernelspec: ${Object.keys(specs.kernelspecs).join(", ")}`,
          );
        }
        return server;
      }
    } catch (err) {
      if (err instanceof Error && /kernelspec/.test(err.message)) throw err;
    }
    await new Promise((r) => setTimeout(r, 200));
  }
}
