/** What `spindle doctor` says about grading isolation on this machine. */
import { sandboxSupport } from "./detect";

/** One doctor finding (the shape src/cli/doctor-checks.ts uses). */
export interface IsolationFinding {
  status: "ok" | "warn" | "fail";
  text: string;
  fix?: string;
}

/** The isolation `spindle grade` would use here, and what is missing for the strongest level. */
export function checkIsolation(): IsolationFinding[] {
  const s = sandboxSupport();
  const out: IsolationFinding[] = [];
  if (s.namespaces.ok) {
    out.push({
      status: "ok",
      text: `grading isolation: namespaces — ${s.namespaces.detail}${s.dropsUid ? "; sandboxes run as their own uid" : ""}`,
    });
  } else {
    out.push({
      status: "warn",
      text: `grading isolation: ${s.permission.ok ? "permission model only" : "none"} — ${s.namespaces.detail}`,
      fix: "Install bubblewrap (apt-get install bubblewrap) and allow user namespaces, or grade in the Kubernetes Jobs of deploy/; `spindle grade --isolation strict` refuses to grade without namespaces.",
    });
  }
  out.push({ status: s.permission.ok ? "ok" : "warn", text: `fallback: ${s.permission.detail}` });
  out.push({
    status: s.prlimit ? "ok" : "warn",
    text: `caps: process count by ${s.pidsCgroup.ok ? s.pidsCgroup.detail : `the watchdog only (${s.pidsCgroup.detail})`}; rlimits ${s.prlimit ? `through ${s.prlimit}` : "unavailable (no prlimit: only the watchdog applies)"}`,
  });
  return out;
}
