/**
 * Starting a kernel process the way Jupyter does: a connection file with free
 * ports and a fresh key, the kernelspec's argv with {connection_file} filled in,
 * and a client that waits until the kernel answers.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { randomUUID } from "node:crypto";
import { chown, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { descendantsOf } from "../system/process-tree";
import { writeConnectionFile, type ConnectionInfo } from "../protocol";
import { KernelClient, type MessageListener } from "./client";
import { KernelClientError } from "./errors";
import { freePorts } from "./ports";

/** Spindle's own kernel command: this checkout's bin/spindle.js. */
export function spindleKernelArgv(): string[] {
  return [process.execPath, resolve(__dirname, "..", "..", "..", "bin", "spindle.js"), "kernel", "{connection_file}"];
}

/** Options of `startKernel`. Durations are in seconds. */
export interface StartKernelOptions {
  /** The kernel command, `{connection_file}` is replaced (default: Spindle's kernel). */
  argv?: string[];
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Seconds to wait for the first kernel_info reply (default 30). */
  startupTimeout?: number;
  /** The kernel's stderr: inherited (default), ignored, or handed to a function line by line. */
  stderr?: "inherit" | "ignore" | ((text: string) => void);
  /** Signing key; "" disables signing (default: a random key). */
  key?: string;
  transport?: "tcp" | "ipc";
  /** Sees every message the client receives, from the very first one. */
  listener?: MessageListener;
  /** Run the kernel as this uid/gid (a grading sandbox); its connection folder is handed over to it. */
  uid?: number;
  gid?: number;
  /** Where the connection folder is made (default: the system's temp folder). */
  runtimeDir?: string;
}

/** How a kernel process ended. */
export interface KernelExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** A kernel process started by `startKernel`, with its connected client. */
export class RunningKernel {
  #process: ChildProcess;
  #exited: Promise<KernelExit>;
  #stopped = false;

  private constructor(
    readonly client: KernelClient,
    readonly connection: ConnectionInfo,
    readonly connectionFile: string,
    private readonly dir: string,
    private readonly options: StartKernelOptions,
  ) {
    [this.#process, this.#exited] = this.#spawn();
  }

  /** Starts a kernel and waits until it answers (and its iopub reaches the client). */
  static async start(options: StartKernelOptions = {}): Promise<RunningKernel> {
    const dir = await mkdtemp(join(options.runtimeDir ?? tmpdir(), "spindle-kernel-"));
    const transport = options.transport ?? "tcp";
    const ports = transport === "tcp" ? await freePorts(5) : [1, 2, 3, 4, 5];
    const [shell_port, iopub_port, stdin_port, control_port, hb_port] = ports as [
      number,
      number,
      number,
      number,
      number,
    ];
    const connection: ConnectionInfo = {
      transport,
      ip: transport === "tcp" ? "127.0.0.1" : join(dir, "kernel-ipc"),
      shell_port,
      iopub_port,
      stdin_port,
      control_port,
      hb_port,
      key: options.key ?? randomUUID(),
      signature_scheme: "hmac-sha256",
      kernel_name: "spindle",
    };
    const connectionFile = join(dir, "kernel.json");
    await writeConnectionFile(connectionFile, connection);
    if (options.uid !== undefined) {
      await chown(dir, options.uid, options.gid ?? options.uid);
      await chown(connectionFile, options.uid, options.gid ?? options.uid);
    }
    const client = new KernelClient(connection);
    if (options.listener) client.onMessage(options.listener);
    const kernel = new RunningKernel(client, connection, connectionFile, dir, options);
    try {
      await kernel.#ready();
    } catch (err) {
      await kernel.kill();
      throw err;
    }
    return kernel;
  }

  /** The kernel process id. */
  get pid(): number | undefined {
    return this.#process.pid;
  }

  /** Resolves when the current kernel process has exited. */
  get exited(): Promise<KernelExit> {
    return this.#exited;
  }

  /** Asks the kernel to restart (shutdown_request with restart), then starts a fresh process on the same ports. */
  async restart(timeout = 10): Promise<void> {
    await this.#stop(true, timeout);
    this.client.revive();
    [this.#process, this.#exited] = this.#spawn();
    await this.#ready();
  }

  /** Shuts the kernel down by message (then SIGKILL after `timeout` seconds), closes the client, removes the connection file. */
  async shutdown(timeout = 10): Promise<KernelExit> {
    const exit = await this.#stop(false, timeout);
    await this.#cleanup();
    return exit;
  }

  /** Kills the kernel process and everything below it (its executor, what cells spawned) at once, and cleans up. */
  async kill(): Promise<KernelExit> {
    this.#stopped = true;
    this.#killTree();
    const exit = await this.#exited;
    await this.#cleanup();
    return exit;
  }

  async #stop(restart: boolean, timeout: number): Promise<KernelExit> {
    this.#stopped = true;
    const proc = this.#process;
    if (proc.exitCode === null && proc.signalCode === null) {
      await this.client.shutdown(restart, timeout).catch(() => undefined);
      const timer = setTimeout(() => this.#killTree(), timeout * 1000);
      await this.#exited;
      clearTimeout(timer);
    }
    return this.#exited;
  }

  #killTree(): void {
    const proc = this.#process;
    if (proc.exitCode !== null || proc.signalCode !== null) return;
    // A killed kernel cannot stop its executor, which may be spinning in user code: kill the whole tree.
    const tree = proc.pid === undefined ? [] : descendantsOf(proc.pid);
    proc.kill("SIGKILL");
    for (const pid of tree) {
      try {
        process.kill(pid, "SIGKILL");
      } catch {
        // Already gone.
      }
    }
  }

  async #cleanup(): Promise<void> {
    this.client.close();
    await rm(this.dir, { recursive: true, force: true });
  }

  async #ready(): Promise<void> {
    const timeout = this.options.startupTimeout ?? 30;
    const died = this.#exited.then((exit) => {
      throw new KernelClientError(
        `The kernel exited while starting (code ${exit.code}, signal ${exit.signal}); see its stderr.`,
        "ERR_SPINDLE_KERNEL_START",
      );
    });
    died.catch(() => undefined);
    await Promise.race([this.client.waitForReady(timeout), died]);
    this.#stopped = false;
  }

  #spawn(): [ChildProcess, Promise<KernelExit>] {
    const argv = (this.options.argv ?? spindleKernelArgv()).map((a) =>
      a.replaceAll("{connection_file}", this.connectionFile),
    );
    const stderr = this.options.stderr ?? "inherit";
    const proc = spawn(argv[0]!, argv.slice(1), {
      cwd: this.options.cwd,
      // JPY_PARENT_PID: the kernel shuts itself down if this process dies.
      env: { ...(this.options.env ?? process.env), JPY_PARENT_PID: String(process.pid) },
      stdio: ["ignore", "ignore", typeof stderr === "function" ? "pipe" : stderr],
      uid: this.options.uid,
      gid: this.options.gid,
    });
    if (typeof stderr === "function") proc.stderr?.on("data", (chunk: Buffer) => stderr(chunk.toString()));
    const exited = new Promise<KernelExit>((resolve) => {
      proc.once("exit", (code, signal) => {
        if (!this.#stopped)
          this.client.fail(
            new KernelClientError(
              `The kernel process died (code ${code}, signal ${signal}).`,
              "ERR_SPINDLE_KERNEL_DIED",
            ),
          );
        resolve({ code, signal });
      });
      proc.once("error", (err) => {
        this.client.fail(
          new KernelClientError(`Cannot start the kernel (${argv[0]}): ${err.message}`, "ERR_SPINDLE_KERNEL_START", {
            cause: err,
          }),
        );
        resolve({ code: null, signal: null });
      });
    });
    return [proc, exited];
  }
}

/** Starts a kernel (Spindle's by default) and returns it with a ready client. */
export function startKernel(options: StartKernelOptions = {}): Promise<RunningKernel> {
  return RunningKernel.start(options);
}
