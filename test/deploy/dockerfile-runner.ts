/**
 * Runs a Dockerfile's instructions without a container engine: each stage gets
 * its own scratch root, every ARG whose default is an absolute path is moved
 * under that root, COPY copies from the build context (or an earlier stage's
 * root), and RUN commands run in bash with the ARGs in their environment. A
 * RUN that names an absolute path itself would escape the scratch root, so it
 * is refused: the Dockerfile must reach every path through an ARG.
 *
 * What the base images provide is stood in for by this machine: the Node image's
 * /usr/local/bin/node is a copy of the Node running this, and the Jupyter image's
 * `jupyter` is whichever is on PATH.
 */
import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

/** One instruction, continuation lines joined, comments dropped. */
export interface Instruction {
  keyword: string;
  args: string;
  line: number;
}

/** A stage's scratch root and final variables. */
export interface StageResult {
  name: string;
  root: string;
  /** ARG/ENV values as RUN commands saw them (absolute-path ARGs moved under `root`). */
  env: Record<string, string>;
  /** Output of each RUN, in order. */
  runs: { command: string; code: number | null; output: string }[];
}

/** Splits a Dockerfile into instructions (Docker's rules: `\` continues a line, `#` lines are comments). */
export function parseDockerfile(text: string): Instruction[] {
  const out: Instruction[] = [];
  let pending: { keyword: string; args: string; line: number } | undefined;
  text.split("\n").forEach((raw, i) => {
    const trimmed = raw.trim();
    if (trimmed.startsWith("#") || (trimmed === "" && !pending)) return;
    const continues = trimmed.endsWith("\\");
    const body = continues ? trimmed.slice(0, -1).trim() : trimmed;
    if (pending) {
      pending.args = `${pending.args} ${body}`.trim();
    } else {
      const m = /^(\S+)\s*(.*)$/.exec(body)!;
      pending = { keyword: m[1]!.toUpperCase(), args: m[2]!, line: i + 1 };
    }
    if (!continues) {
      out.push(pending);
      pending = undefined;
    }
  });
  if (pending) out.push(pending);
  return out;
}

/** Replaces `${NAME}`, `${NAME:-default}` and `$NAME` from `vars` (unknown names become ""). */
export function substitute(text: string, vars: Record<string, string>): string {
  return text.replace(
    /\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}|\$([A-Za-z_][A-Za-z0-9_]*)/g,
    (_, a: string | undefined, def: string | undefined, b: string | undefined) => {
      const name = (a ?? b)!;
      return vars[name] ?? def ?? "";
    },
  );
}

/** Options of `runDockerfile`. */
export interface RunOptions {
  /** The build context directory. */
  context: string;
  /** Scratch directory; each stage gets a folder in it. */
  scratch: string;
  /** Extra environment for RUN commands. */
  env?: NodeJS.ProcessEnv;
  /** Seconds one RUN may take. */
  runTimeout?: number;
}

/** Runs every instruction; resolves with each stage's result, or rejects at the first failure. */
export async function runDockerfile(instructions: Instruction[], options: RunOptions): Promise<StageResult[]> {
  const globals: Record<string, string> = {};
  const stages: StageResult[] = [];
  let stage: (StageResult & { real: Record<string, string>; cwd: string }) | undefined;
  for (const ins of instructions) {
    const where = `line ${ins.line}: ${ins.keyword} ${ins.args}`;
    if (ins.keyword === "FROM") {
      const m = /^(\S+)(?:\s+AS\s+(\S+))?$/i.exec(substitute(ins.args, globals));
      if (!m) throw new Error(`cannot read ${where}`);
      const name = m[2] ?? String(stages.length);
      const root = path.join(options.scratch, `stage-${stages.length}-${name}`);
      fs.mkdirSync(root, { recursive: true });
      if (/^node:/.test(m[1]!)) provideNodeImage(root);
      stage = { name, root, env: {}, runs: [], real: {}, cwd: root };
      stages.push(stage);
      continue;
    }
    if (ins.keyword === "ARG") {
      const m = /^([A-Za-z_][A-Za-z0-9_]*)(?:=(.*))?$/.exec(ins.args.trim());
      if (!m) throw new Error(`cannot read ${where}`);
      const value = m[2] === undefined ? (stage ? undefined : "") : unquote(m[2]);
      if (!stage) {
        globals[m[1]!] = value ?? "";
        continue;
      }
      const real = value ?? globals[m[1]!] ?? "";
      stage.real[m[1]!] = real;
      stage.env[m[1]!] = path.isAbsolute(real) ? path.join(stage.root, real) : real;
      continue;
    }
    if (!stage) throw new Error(`${where}: only ARG may come before the first FROM`);
    switch (ins.keyword) {
      case "ENV": {
        const m = /^([A-Za-z_][A-Za-z0-9_]*)[= ](.*)$/.exec(ins.args.trim());
        if (!m) throw new Error(`cannot read ${where}`);
        const real = unquote(substitute(m[2]!, stage.real));
        stage.real[m[1]!] = real;
        stage.env[m[1]!] = path.isAbsolute(real) ? path.join(stage.root, real) : real;
        break;
      }
      case "WORKDIR": {
        const real = substitute(ins.args.trim(), stage.real);
        stage.cwd = path.isAbsolute(real) ? path.join(stage.root, real) : path.join(stage.cwd, real);
        fs.mkdirSync(stage.cwd, { recursive: true });
        break;
      }
      case "COPY":
        copy(substitute(ins.args, stage.real), stage, stages, options.context, where);
        break;
      case "RUN": {
        const command = ins.args;
        const literal = /(^|[\s"'=:])\/(?:usr|opt|etc|home|var|bin|lib|srv|root)\b/.exec(
          command.replace(/\$\{[^}]*\}/g, "VAR"),
        );
        if (literal)
          throw new Error(
            `${where}: names an absolute path itself (${literal[0].trim()}); reach it through an ARG so the lint can move it`,
          );
        const result = await runBash(
          command,
          stage.cwd,
          {
            ...options.env,
            ...stage.env,
            PATH: `${path.join(stage.root, "usr", "local", "bin")}${path.delimiter}${options.env?.PATH ?? process.env.PATH ?? ""}`,
          },
          options.runTimeout ?? 900,
        );
        stage.runs.push({ command, ...result });
        if (result.code !== 0) throw new Error(`${where}\nexited with ${result.code}:\n${result.output.slice(-6000)}`);
        break;
      }
      case "USER":
        break; // Users do not exist in the scratch root; the lint runs as whoever runs the tests.
      default:
        throw new Error(
          `${where}: the Dockerfile lint does not know ${ins.keyword}; teach test/deploy/dockerfile-runner.ts or avoid it`,
        );
    }
  }
  return stages.map(({ name, root, env, runs }) => ({ name, root, env, runs }));
}

function unquote(text: string): string {
  const t = text.trim();
  return /^(["']).*\1$/.test(t) ? t.slice(1, -1) : t;
}

/** The Node image's /usr/local/bin/node and npm, stood in for by the Node running this and its npm. */
function provideNodeImage(root: string): void {
  const bin = path.join(root, "usr", "local", "bin");
  fs.mkdirSync(bin, { recursive: true });
  fs.copyFileSync(process.execPath, path.join(bin, "node"));
  fs.chmodSync(path.join(bin, "node"), 0o755);
  const npm = path.join(path.dirname(process.execPath), "..", "lib", "node_modules", "npm");
  if (fs.existsSync(npm)) {
    const target = path.join(root, "usr", "local", "lib", "node_modules", "npm");
    fs.cpSync(npm, target, { recursive: true, verbatimSymlinks: true });
    fs.symlinkSync("../lib/node_modules/npm/bin/npm-cli.js", path.join(bin, "npm"));
  }
}

function copy(
  args: string,
  stage: { root: string; cwd: string },
  stages: StageResult[],
  context: string,
  where: string,
): void {
  const words = args.trim().split(/\s+/);
  let fromRoot: string | undefined;
  while (words[0]?.startsWith("--")) {
    const flag = words.shift()!;
    const m = /^--from=(.+)$/.exec(flag);
    if (!m) throw new Error(`${where}: unsupported COPY flag ${flag}`);
    const source = stages.find((s) => s.name === m[1]);
    if (!source) throw new Error(`${where}: no earlier stage named ${m[1]}`);
    fromRoot = source.root;
  }
  const dest = words.pop();
  if (!dest || words.length === 0) throw new Error(`${where}: COPY needs a source and a destination`);
  const target = path.isAbsolute(dest) ? path.join(stage.root, dest) : path.join(stage.cwd, dest);
  const intoDir = dest.endsWith("/") || words.length > 1;
  for (const src of words) {
    if (/[*?[]/.test(src)) throw new Error(`${where}: the lint does not expand globs in COPY`);
    const from = fromRoot ? path.join(fromRoot, src) : path.join(context, src);
    if (!fromRoot && path.relative(context, from).startsWith(".."))
      throw new Error(`${where}: ${src} is outside the build context`);
    if (!fs.existsSync(from))
      throw new Error(`${where}: ${src} does not exist in ${fromRoot ? "that stage" : "the build context"}`);
    if (fs.statSync(from).isDirectory()) {
      fs.mkdirSync(target, { recursive: true });
      fs.cpSync(from, target, { recursive: true, preserveTimestamps: true, verbatimSymlinks: true });
    } else {
      const file = intoDir ? path.join(target, path.basename(src)) : target;
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.cpSync(from, file, { preserveTimestamps: true });
    }
  }
}

function runBash(
  command: string,
  cwd: string,
  env: NodeJS.ProcessEnv,
  timeoutSeconds: number,
): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    // Docker's shell form is `/bin/sh -c`; bash with -e and pipefail is stricter, which a lint should be.
    const child = spawn("bash", ["-eo", "pipefail", "-c", command], {
      cwd,
      env,
      stdio: ["ignore", "pipe", "pipe"],
      detached: true,
    });
    let output = "";
    child.stdout.on("data", (d: Buffer) => (output += d.toString()));
    child.stderr.on("data", (d: Buffer) => (output += d.toString()));
    const timer = setTimeout(() => {
      output += `\n[killed after ${timeoutSeconds} s]`;
      try {
        process.kill(-child.pid!, "SIGKILL");
      } catch {
        // Already gone.
      }
    }, timeoutSeconds * 1000);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}
