/**
 * Debian's classic Notebook 6 (`python3-notebook`) on loopback for browser tests, with the
 * Spindle kernelspec installed into a private prefix by `spindle install --prefix`.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";

/** A running notebook server and the temp folder it lives in. */
export interface NotebookServer {
  url: string;
  token: string;
  notebookDir: string;
  tmp: string;
  process: ChildProcess;
  log(): string;
  /** Shuts down every kernel, then the server; removes nothing (call `cleanup` for that). */
  stop(): Promise<void>;
  cleanup(): void;
}

const ROOT = path.resolve(__dirname, "..", "..", "..");

/** A free TCP port on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
  });
}

/** Installs the kernelspec under a temp prefix and starts `python3 -m notebook` there. */
export async function startNotebookServer(): Promise<NotebookServer> {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "spindle-browser-"));
  const prefix = path.join(tmp, "prefix");
  const notebookDir = path.join(tmp, "notebooks");
  fs.mkdirSync(notebookDir);
  const install = spawnSync(process.execPath, [path.join(ROOT, "bin", "spindle.js"), "install", "--prefix", prefix], {
    encoding: "utf8",
    timeout: 60_000,
  });
  if (install.status !== 0) throw new Error(`spindle install --prefix failed: ${install.stderr || install.stdout}`);
  const port = await freePort();
  const token = randomBytes(16).toString("hex");
  const env = {
    ...process.env,
    JUPYTER_PATH: path.join(prefix, "share", "jupyter"),
    JUPYTER_CONFIG_DIR: path.join(tmp, "config"),
    JUPYTER_DATA_DIR: path.join(tmp, "data"),
    JUPYTER_RUNTIME_DIR: path.join(tmp, "runtime"),
    IPYTHONDIR: path.join(tmp, "ipython"),
    HOME: tmp,
  };
  // Debian ships the `notebook` package without the `jupyter-notebook` entry point unless
  // `jupyter-notebook` is installed too; `python3 -m notebook` is the same program.
  const proc = spawn(
    "/usr/bin/python3",
    [
      "-m",
      "notebook",
      "--no-browser",
      "--allow-root",
      "--ip",
      "127.0.0.1",
      `--port=${port}`,
      "--port-retries=0",
      `--NotebookApp.token=${token}`,
      `--notebook-dir=${notebookDir}`,
      "--NotebookApp.open_browser=False",
    ],
    { env, stdio: ["ignore", "pipe", "pipe"] },
  );
  let log = "";
  proc.stdout?.on("data", (d: Buffer) => (log += d.toString()));
  proc.stderr?.on("data", (d: Buffer) => (log += d.toString()));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (proc.exitCode !== null) throw new Error(`notebook server exited (${proc.exitCode}):\n${log}`);
    try {
      const res = await fetch(`${url}/api/kernelspecs?token=${token}`);
      if (res.ok) {
        const specs = (await res.json()) as { kernelspecs: Record<string, unknown> };
        if (!("spindle" in specs.kernelspecs))
          throw new Error(
            `the spindle kernelspec is not visible to the server: ${JSON.stringify(Object.keys(specs.kernelspecs))}`,
          );
        break;
      }
    } catch (err) {
      if (err instanceof Error && /kernelspec/.test(err.message)) throw err;
    }
    if (Date.now() > deadline) {
      proc.kill("SIGKILL");
      throw new Error(`notebook server did not answer within 60 s:\n${log}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  const stop = (): Promise<void> => stopJupyterServer(proc, url, token);
  return {
    url,
    token,
    notebookDir,
    tmp,
    process: proc,
    log: () => log,
    stop,
    cleanup: () => fs.rmSync(tmp, { recursive: true, force: true }),
  };
}

/** Writes a notebook (nbformat 4) for the Spindle kernel with the given code cells, unexecuted. */
export function writeNotebook(file: string, cells: string[]): void {
  const nb = {
    nbformat: 4,
    nbformat_minor: 5,
    metadata: {
      kernelspec: { name: "spindle", display_name: "TypeScript (Spindle)", language: "typescript" },
      language_info: { name: "typescript" },
    },
    cells: cells.map((source, i) => ({
      cell_type: "code",
      id: `cell-${i}`,
      metadata: {},
      execution_count: null,
      outputs: [],
      source,
    })),
  };
  fs.writeFileSync(file, JSON.stringify(nb, null, 1));
}

/** Shuts a Jupyter server down: its kernels, then the server, then signals if it lingers. */
export async function stopJupyterServer(proc: ChildProcess, url: string, token: string): Promise<void> {
  if (proc.exitCode !== null) return;
  try {
    const kernels = (await (await fetch(`${url}/api/kernels?token=${token}`)).json()) as Array<{ id: string }>;
    await Promise.all(kernels.map((k) => fetch(`${url}/api/kernels/${k.id}?token=${token}`, { method: "DELETE" })));
    await fetch(`${url}/api/shutdown?token=${token}`, { method: "POST" });
  } catch {
    // The server is going away anyway; the signals below make sure.
  }
  const exited = new Promise<void>((r) => proc.once("exit", () => r()));
  const term = setTimeout(() => proc.kill("SIGTERM"), 5_000);
  const kill = setTimeout(() => proc.kill("SIGKILL"), 15_000);
  await exited;
  clearTimeout(term);
  clearTimeout(kill);
}
