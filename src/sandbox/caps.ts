/**
 * Per-submission resource caps: parsing "1G" / "512MiB" / "10MB", the
 * defaults, and the words a teacher reads in grades.csv ("1 GiB", "10 MB").
 */
import { SandboxError } from "./errors";

/** What one sandbox may use. Bytes for sizes. */
export interface Caps {
  /** Resident memory of every process in the sandbox together. */
  memory: number;
  /** CPUs: a cgroup share where available, else CPU seconds = cpus × the notebook's time limit. */
  cpus: number;
  /** Processes and threads (tasks) at once. */
  pids: number;
  /** Bytes written into the working folder and /tmp together. */
  disk: number;
  /** Bytes of cell output (text and display data) per submission. */
  output: number;
}

/** Defaults: enough for every tutorial assignment, small enough that a class fits on one machine. */
export const DEFAULT_CAPS: Readonly<Caps> = Object.freeze({
  memory: 1024 ** 3,
  cpus: 1,
  pids: 512,
  disk: 256 * 1024 ** 2,
  output: 10_000_000,
});

const UNITS: Record<string, number> = {
  "": 1,
  b: 1,
  k: 1024,
  kib: 1024,
  kb: 1000,
  m: 1024 ** 2,
  mib: 1024 ** 2,
  mb: 1000 ** 2,
  g: 1024 ** 3,
  gib: 1024 ** 3,
  gb: 1000 ** 3,
};

/** Parses a size: "1G" and "1GiB" are binary, "10MB" decimal, a bare number is bytes. */
export function parseSize(text: string, option: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([a-zA-Z]*)\s*$/.exec(text);
  const unit = m ? UNITS[(m[2] ?? "").toLowerCase()] : undefined;
  if (!m || unit === undefined) {
    throw new SandboxError(`${option} takes a size such as 512M, 1G or 10MB (got "${text}").`, "ERR_SANDBOX_BAD_CAP");
  }
  const bytes = Math.round(Number(m[1]) * unit);
  if (bytes < 1) throw new SandboxError(`${option} must be more than 0 bytes (got "${text}").`, "ERR_SANDBOX_BAD_CAP");
  return bytes;
}

/** A size as a teacher reads it: "1 GiB", "512 MiB", "10 MB", "4096 bytes". */
export function formatSize(bytes: number): string {
  const units: [number, string][] = [
    [1024 ** 3, "GiB"],
    [1000 ** 3, "GB"],
    [1024 ** 2, "MiB"],
    [1000 ** 2, "MB"],
    [1024, "KiB"],
    [1000, "kB"],
  ];
  for (const [size, name] of units) if (bytes >= size && bytes % size === 0) return `${bytes / size} ${name}`;
  for (const [size, name] of units) if (bytes >= size) return `${(bytes / size).toFixed(1)} ${name}`;
  return `${bytes} bytes`;
}

/** A positive whole number of processes, or a positive number of CPUs. */
export function parseCount(text: string, option: string, whole: boolean): number {
  const n = Number(text);
  if (!Number.isFinite(n) || n <= 0 || (whole && !Number.isInteger(n))) {
    throw new SandboxError(
      `${option} takes a ${whole ? "whole " : ""}number > 0 (got "${text}").`,
      "ERR_SANDBOX_BAD_CAP",
    );
  }
  return n;
}
