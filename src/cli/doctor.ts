/**
 * `spindle doctor [--name spindle] [--timeout S] [--no-round-trip] [--no-jupyter]`:
 * says where the kernelspec is, which Node and TypeScript it runs, whether the
 * executor snapshot is current, the CPU quota and memory limit it sees, and
 * whether a kernel really starts, runs `1+1` and shuts down cleanly.
 * Exit code 0 when nothing failed, 1 otherwise (warnings do not fail).
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs, UsageError } from "./args";
import { checkIsolation } from "../sandbox/doctor";
import {
  checkJupyterSees,
  checkKernelspec,
  compareChoice,
  checkResources,
  checkRoundTrip,
  checkRuntime,
  checkSnapshot,
  type Finding,
} from "./doctor-checks";
import { PACKAGE_ROOT } from "./install";

/** Options of `runDoctor`. Durations in seconds. */
export interface DoctorOptions {
  /** Kernelspec name (default "spindle"). */
  name?: string;
  /** Seconds each step of the round trip may take (default 60). */
  timeout?: number;
  /** Start a kernel and run 1+1 (default true). */
  roundTrip?: boolean;
  /** Ask the `jupyter` command which kernels it sees (default true). */
  jupyter?: boolean;
  env?: NodeJS.ProcessEnv;
  /** Receives each finding as soon as it is known (the command prints them). */
  onFinding?: (finding: Finding) => void;
}

/** Runs every check; resolves with the findings in report order. */
export async function runDoctor(options: DoctorOptions = {}): Promise<Finding[]> {
  const env = options.env ?? process.env;
  const name = options.name ?? "spindle";
  const findings: Finding[] = [];
  const add = (...fs: Finding[]): void => {
    for (const f of fs) {
      findings.push(f);
      options.onFinding?.(f);
    }
  };
  const version = (JSON.parse(readFileSync(join(PACKAGE_ROOT, "package.json"), "utf8")) as { version: string }).version;
  add({ status: "ok", text: `Spindle ${version} (${PACKAGE_ROOT})` });
  const jupyter = options.jupyter === false ? undefined : await checkJupyterSees(name, env);
  const spec = await checkKernelspec(name, env, jupyter?.resourceDir);
  add(...spec.findings);
  // When neither search finds it, the kernelspec finding above already says what to do.
  if (jupyter && (spec.spec || jupyter.finding.status !== "fail")) add(jupyter.finding);
  const differs = compareChoice(jupyter?.resourceDir, spec.spec?.dir);
  if (differs) add(differs);
  add(...(await checkRuntime(spec.argv)));
  add(checkSnapshot());
  add(...checkResources(env));
  add(...checkIsolation());
  if (options.roundTrip !== false) {
    // Without an installed kernelspec, still check that this Spindle itself works.
    add(await checkRoundTrip(spec.argv, spec.spec?.spec?.env, options.timeout ?? 60));
  }
  return findings;
}

const MARK: Record<Finding["status"], string> = { ok: "ok  ", warn: "warn", fail: "FAIL" };

/** The `doctor` command. */
export async function doctorCommand(args: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs(args, { flags: ["no-round-trip", "no-jupyter"], valued: ["name", "timeout"] });
    if (parsed.positionals.length > 0)
      throw new UsageError(`Unexpected argument ${JSON.stringify(parsed.positionals[0])}.`);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    process.stderr.write(
      `spindle doctor: ${err.message}\nUsage: spindle doctor [--name spindle] [--timeout S] [--no-round-trip] [--no-jupyter]\n`,
    );
    return 2;
  }
  const timeoutText = parsed.options.get("timeout");
  const timeout = timeoutText === undefined ? undefined : Number(timeoutText);
  if (timeout !== undefined && !(timeout > 0)) {
    process.stderr.write(
      `spindle doctor: --timeout needs a number of seconds above 0 (got ${JSON.stringify(timeoutText)}).\n`,
    );
    return 2;
  }
  process.stdout.write("Spindle doctor\n");
  const findings = await runDoctor({
    name: parsed.options.get("name"),
    timeout,
    roundTrip: !parsed.flags.has("no-round-trip"),
    jupyter: !parsed.flags.has("no-jupyter"),
    onFinding: (f) => process.stdout.write(`  ${MARK[f.status]}  ${f.text}\n${f.fix ? `        → ${f.fix}\n` : ""}`),
  });
  const failed = findings.filter((f) => f.status === "fail").length;
  const warned = findings.filter((f) => f.status === "warn").length;
  process.stdout.write(
    failed > 0
      ? `${failed} problem${failed === 1 ? "" : "s"} found; the → lines say what to do.\n`
      : `Everything needed works${warned > 0 ? ` (${warned} warning${warned === 1 ? "" : "s"} above)` : ""}.\n`,
  );
  return failed > 0 ? 1 : 0;
}
