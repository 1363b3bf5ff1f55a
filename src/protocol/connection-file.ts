/**
 * The connection file a Jupyter client writes before starting a kernel: ports,
 * transport, ip and the signing key.
 */
import { readFile, writeFile } from "node:fs/promises";
import { ConnectionFileError } from "./errors";

/** The five channels of a kernel. */
export type Channel = "shell" | "control" | "stdin" | "iopub" | "hb";

/** All channels, in the order the ports appear in connection files. */
export const CHANNELS: readonly Channel[] = ["shell", "iopub", "stdin", "control", "hb"];

/** The contents of a connection file (Jupyter's keys kept as they are). */
export interface ConnectionInfo {
  transport: "tcp" | "ipc";
  ip: string;
  shell_port: number;
  iopub_port: number;
  stdin_port: number;
  control_port: number;
  hb_port: number;
  key: string;
  signature_scheme: string;
  kernel_name?: string;
}

/** Reads and validates a connection file. */
export async function readConnectionFile(path: string): Promise<ConnectionInfo> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (cause) {
    throw new ConnectionFileError(
      `Cannot read connection file ${path}: ${(cause as Error).message}. Pass the path Jupyter gave as {connection_file}.`,
      { cause },
    );
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (cause) {
    throw new ConnectionFileError(`Connection file ${path} is not valid JSON: ${(cause as Error).message}.`, { cause });
  }
  return parseConnectionInfo(raw, path);
}

/** Validates parsed connection-file JSON; `source` names it in error messages. */
export function parseConnectionInfo(raw: unknown, source = "connection file"): ConnectionInfo {
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) {
    throw new ConnectionFileError(`${source} must hold a JSON object.`);
  }
  const obj = raw as Record<string, unknown>;
  const transport = obj.transport ?? "tcp";
  if (transport !== "tcp" && transport !== "ipc") {
    throw new ConnectionFileError(`${source}: transport must be "tcp" or "ipc", got ${JSON.stringify(transport)}.`);
  }
  const ip = obj.ip ?? "127.0.0.1";
  if (typeof ip !== "string" || ip === "") throw new ConnectionFileError(`${source}: "ip" must be a non-empty string.`);
  const key = obj.key ?? "";
  if (typeof key !== "string")
    throw new ConnectionFileError(`${source}: "key" must be a string (empty disables signing).`);
  const scheme = obj.signature_scheme ?? "hmac-sha256";
  if (typeof scheme !== "string")
    throw new ConnectionFileError(`${source}: "signature_scheme" must be a string such as "hmac-sha256".`);
  const port = (name: string): number => {
    const value = obj[name];
    if (typeof value !== "number" || !Number.isInteger(value) || value < 0 || value > 65535) {
      throw new ConnectionFileError(
        `${source}: "${name}" must be an integer port (0-65535), got ${JSON.stringify(value)}.`,
      );
    }
    return value;
  };
  return {
    transport,
    ip,
    shell_port: port("shell_port"),
    iopub_port: port("iopub_port"),
    stdin_port: port("stdin_port"),
    control_port: port("control_port"),
    hb_port: port("hb_port"),
    key,
    signature_scheme: scheme,
    kernel_name: typeof obj.kernel_name === "string" ? obj.kernel_name : undefined,
  };
}

/** The port of `channel` in `info`. */
export function channelPort(info: ConnectionInfo, channel: Channel): number {
  return info[`${channel}_port`];
}

/**
 * The ZeroMQ endpoint of `channel`, as jupyter_client builds it: `tcp://ip:port`,
 * or `ipc://ip-port` where `ip` is a path prefix. Port 0 on tcp means "any free port" (`*`).
 */
export function endpoint(info: ConnectionInfo, channel: Channel): string {
  const port = channelPort(info, channel);
  if (info.transport === "tcp") return `tcp://${info.ip}:${port === 0 ? "*" : port}`;
  return `ipc://${info.ip}-${port}`;
}

/** Writes `info` as a connection file (mode 0600: it holds the signing key). */
export async function writeConnectionFile(path: string, info: ConnectionInfo): Promise<void> {
  await writeFile(path, JSON.stringify(info, null, 2) + "\n", { mode: 0o600 });
}
