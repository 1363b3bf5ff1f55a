/**
 * A real JupyterHub on loopback for the classroom test: Debian's jupyterhub 3.0
 * with the dummy authenticator and the simple local-process spawner, npm's
 * configurable-http-proxy@4, a service token with admin scopes for the REST
 * API, and the Spindle kernelspec installed under a private prefix (found by
 * the single-user servers through JUPYTER_PATH). Every process it starts
 * carries `tag` in its environment, so nothing can escape the after hooks.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { randomBytes, randomUUID } from "node:crypto";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";

const ROOT = path.resolve(__dirname, "..", "..", "..");
const CHP = path.join(ROOT, "node_modules", "configurable-http-proxy", "bin", "configurable-http-proxy");

/** A running hub. Durations are in seconds. */
export interface Hub {
  /** The public URL of the proxy (what students open). */
  url: string;
  /** Service token with admin:users, admin:servers and access:servers. */
  token: string;
  /** Environment tag carried by the hub, the proxy, single-user servers, kernels and their children. */
  tag: string;
  tmp: string;
  log(): string;
  /** Calls the hub's REST API (`/hub/api` + `apiPath`) with the service token. */
  api(method: string, apiPath: string, body?: unknown): Promise<{ status: number; json: unknown }>;
  /** Stops the hub (which stops its proxy and servers), then kills whatever carries the tag; removes the temp folder. */
  close(): Promise<void>;
}

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

/** Pids of live processes whose environment holds `TAG=tag` (readable ones: this test runs as their owner). */
export function taggedPids(tag: string): number[] {
  const needle = `SPINDLE_HUB_TEST_TAG=${tag}`;
  const out: number[] = [];
  for (const entry of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, "utf8");
      if (stat.slice(stat.lastIndexOf(")") + 2)[0] === "Z") continue;
      if (fs.readFileSync(`/proc/${entry}/environ`, "utf8").split("\0").includes(needle)) out.push(Number(entry));
    } catch {
      // Gone while we looked.
    }
  }
  return out;
}

/** The command line of `pid`, arguments joined by spaces ("" when gone). */
export function cmdline(pid: number): string {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").join(" ").trim();
  } catch {
    return "";
  }
}

/** Pids of live processes running this checkout's Spindle code (bin/spindle.js or anything under dist/). */
export function spindlePids(): number[] {
  const marks = [path.join(ROOT, "bin", "spindle.js"), path.join(ROOT, "dist") + path.sep];
  const out: number[] = [];
  for (const entry of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    const line = cmdline(Number(entry));
    if (marks.some((m) => line.includes(m))) out.push(Number(entry));
  }
  return out;
}

/** Starts a hub; `env` is added to every single-user server's environment. */
export async function startHub(options: { env?: Record<string, string>; startTimeout?: number } = {}): Promise<Hub> {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "spindle-hub-"));
  const tag = randomUUID();
  const token = randomBytes(24).toString("hex");
  const prefix = path.join(tmp, "prefix");
  const install = spawnSync(process.execPath, [path.join(ROOT, "bin", "spindle.js"), "install", "--prefix", prefix], {
    encoding: "utf8",
    timeout: 60_000,
  });
  if (install.status !== 0) throw new Error(`spindle install --prefix failed: ${install.stderr || install.stdout}`);
  const [port, apiPort, hubPort] = [await freePort(), await freePort(), await freePort()];
  const userEnv: Record<string, string> = {
    JUPYTER_PATH: path.join(prefix, "share", "jupyter"),
    JUPYTER_CONFIG_DIR: path.join(tmp, "jupyter-config"),
    SPINDLE_HUB_TEST_TAG: tag,
    ...options.env,
  };
  const py = (v: unknown): string => JSON.stringify(v);
  const config = [
    `c.JupyterHub.authenticator_class = "dummy"`,
    `c.JupyterHub.spawner_class = "simple"`,
    `c.JupyterHub.ip = "127.0.0.1"`,
    `c.JupyterHub.port = ${port}`,
    `c.JupyterHub.hub_ip = "127.0.0.1"`,
    `c.JupyterHub.hub_port = ${hubPort}`,
    `c.ConfigurableHTTPProxy.api_url = ${py(`http://127.0.0.1:${apiPort}`)}`,
    `c.ConfigurableHTTPProxy.command = ${py([process.execPath, CHP])}`,
    `c.ConfigurableHTTPProxy.should_start = True`,
    `c.JupyterHub.db_url = ${py(`sqlite:///${path.join(tmp, "jupyterhub.sqlite")}`)}`,
    `c.JupyterHub.cookie_secret_file = ${py(path.join(tmp, "jupyterhub_cookie_secret"))}`,
    `c.JupyterHub.services = [{"name": "spindle-test", "api_token": ${py(token)}}]`,
    `c.JupyterHub.load_roles = [{"name": "spindle-test", "services": ["spindle-test"], "scopes": ["admin:users", "admin:servers", "access:servers", "list:users", "read:users"]}]`,
    `c.Spawner.cmd = ["/usr/bin/jupyterhub-singleuser"]`,
    `c.Spawner.args = ["--allow-root"]`,
    `c.Spawner.environment = ${py(userEnv)}`,
    `c.Spawner.env_keep = ["PATH", "LANG", "LC_ALL"]`,
    `c.Spawner.start_timeout = 120`,
    `c.Spawner.http_timeout = 120`,
    `c.SimpleLocalProcessSpawner.home_dir_template = ${py(path.join(tmp, "home", "{username}"))}`,
  ].join("\n");
  fs.writeFileSync(path.join(tmp, "jupyterhub_config.py"), config + "\n");
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    SPINDLE_HUB_TEST_TAG: tag,
    HOME: tmp,
    JUPYTER_CONFIG_DIR: path.join(tmp, "jupyter-config"),
    JUPYTER_DATA_DIR: path.join(tmp, "jupyter-data"),
    JUPYTER_RUNTIME_DIR: path.join(tmp, "jupyter-runtime"),
  };
  delete env.NODE_TEST_CONTEXT;
  const proc: ChildProcess = spawn("/usr/bin/jupyterhub", ["-f", path.join(tmp, "jupyterhub_config.py")], {
    cwd: tmp,
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let log = "";
  proc.stdout?.on("data", (d: Buffer) => (log += d.toString()));
  proc.stderr?.on("data", (d: Buffer) => (log += d.toString()));
  const url = `http://127.0.0.1:${port}`;
  const api = async (method: string, apiPath: string, body?: unknown): Promise<{ status: number; json: unknown }> => {
    const res = await fetch(`${url}/hub/api${apiPath}`, {
      method,
      headers: {
        Authorization: `token ${token}`,
        ...(body === undefined ? {} : { "Content-Type": "application/json" }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(30_000),
    });
    const text = await res.text();
    return { status: res.status, json: text ? (JSON.parse(text) as unknown) : undefined };
  };
  const close = async (): Promise<void> => {
    if (proc.exitCode === null && proc.signalCode === null) {
      const exited = new Promise<void>((r) => proc.once("exit", () => r()));
      proc.kill("SIGTERM");
      const kill = setTimeout(() => proc.kill("SIGKILL"), 20_000);
      await exited;
      clearTimeout(kill);
    }
    for (const pid of taggedPids(tag)) {
      try {
        process.kill(pid, "SIGKILL");
      } catch {
        // Already gone.
      }
    }
    fs.rmSync(tmp, { recursive: true, force: true });
  };
  const hub: Hub = { url, token, tag, tmp, log: () => log, api, close };
  const deadline = Date.now() + (options.startTimeout ?? 120) * 1000;
  for (;;) {
    if (proc.exitCode !== null) {
      await close();
      throw new Error(`jupyterhub exited (${proc.exitCode}) while starting:\n${log}`);
    }
    try {
      if ((await api("GET", "/")).status === 200) break;
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline) {
      await close();
      throw new Error(`jupyterhub did not answer within ${options.startTimeout ?? 120} s:\n${log}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return hub;
}
