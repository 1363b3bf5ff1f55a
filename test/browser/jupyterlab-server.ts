/**
 * JupyterLab 4 (with ipywidgets 8) from a virtualenv, on loopback, for browser tests: the
 * Spindle kernelspec installed into a private prefix by `spindle install --prefix` and
 * found through JUPYTER_PATH. The virtualenv is SPINDLE_JLAB_VENV, or /opt/jlab
 * (`.ci/run` creates it there).
 */
import { spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { freePort, stopJupyterServer } from "./notebook-server";

/** A running JupyterLab and the temp folder it lives in. */
export interface LabServer {
  url: string;
  token: string;
  notebookDir: string;
  tmp: string;
  pid: number;
  log(): string;
  /** Shuts down every kernel, then the server. */
  stop(): Promise<void>;
  cleanup(): void;
}

const ROOT = path.resolve(__dirname, "..", "..", "..");

/** The virtualenv holding jupyter-lab; an error saying how to make it when there is none. */
export function labVenv(): string {
  const venv = process.env.SPINDLE_JLAB_VENV ?? "/opt/jlab";
  if (!fs.existsSync(path.join(venv, "bin", "jupyter-lab"))) {
    throw new Error(
      `No JupyterLab in ${venv}: create it with \`/usr/bin/python3 -m venv ${venv} && ${venv}/bin/pip install ` +
        "--index-url file:///opt/pypi/simple --extra-index-url file:///opt/pypi-more/simple jupyterlab ipywidgets` (as .ci/run does), " +
        "or point SPINDLE_JLAB_VENV at one.",
    );
  }
  return venv;
}

/** Installs the kernelspec under a temp prefix and starts jupyter-lab there; `env` is added to the server's (and kernels') environment. */
export async function startLabServer(env: NodeJS.ProcessEnv = {}): Promise<LabServer> {
  const venv = labVenv();
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "spindle-lab-"));
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
  const serverEnv = {
    ...process.env,
    ...env,
    JUPYTER_PATH: path.join(prefix, "share", "jupyter"),
    JUPYTER_CONFIG_DIR: path.join(tmp, "config"),
    JUPYTER_DATA_DIR: path.join(tmp, "data"),
    JUPYTER_RUNTIME_DIR: path.join(tmp, "runtime"),
    JUPYTERLAB_WORKSPACES_DIR: path.join(tmp, "workspaces"),
    JUPYTERLAB_SETTINGS_DIR: path.join(tmp, "settings"),
    IPYTHONDIR: path.join(tmp, "ipython"),
    HOME: tmp,
  };
  const proc = spawn(
    path.join(venv, "bin", "jupyter-lab"),
    [
      "--no-browser",
      "--allow-root",
      "--ip",
      "127.0.0.1",
      `--port=${port}`,
      "--ServerApp.port_retries=0",
      `--IdentityProvider.token=${token}`,
      "--ServerApp.password=",
      `--ServerApp.root_dir=${notebookDir}`,
      // Tests drive the app's commands (run all, save) through window.jupyterapp.
      "--LabApp.expose_app_in_browser=True",
      "--LabApp.news_url=",
      "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
    ],
    { env: serverEnv, stdio: ["ignore", "pipe", "pipe"] },
  );
  let log = "";
  proc.stdout?.on("data", (d: Buffer) => (log += d.toString()));
  proc.stderr?.on("data", (d: Buffer) => (log += d.toString()));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 90_000;
  for (;;) {
    if (proc.exitCode !== null) throw new Error(`jupyter-lab exited (${proc.exitCode}):\n${log}`);
    try {
      const res = await fetch(`${url}/api/kernelspecs?token=${token}`);
      if (res.ok) {
        const specs = (await res.json()) as { kernelspecs: Record<string, unknown> };
        if (!("spindle" in specs.kernelspecs))
          throw new Error(
            `the spindle kernelspec is not visible to JupyterLab: ${JSON.stringify(Object.keys(specs.kernelspecs))}`,
          );
        break;
      }
    } catch (err) {
      if (err instanceof Error && /kernelspec/.test(err.message)) {
        proc.kill("SIGKILL");
        throw err;
      }
    }
    if (Date.now() > deadline) {
      proc.kill("SIGKILL");
      throw new Error(`jupyter-lab did not answer within 90 s:\n${log}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  const stop = (): Promise<void> => stopJupyterServer(proc, url, token);
  return {
    url,
    token,
    notebookDir,
    tmp,
    pid: proc.pid ?? 0,
    log: () => log,
    stop,
    cleanup: () => fs.rmSync(tmp, { recursive: true, force: true }),
  };
}
