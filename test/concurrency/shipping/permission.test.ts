/**
 * Code shipping where `node:inspector` is denied (Node's permission model, the grading sandbox's
 * fallback): closures are read from registered scopes — a cell's top level, what a shipped function
 * captured — and a local of an enclosing function is refused at packing time with what to do.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { join } from "node:path";

const ROOT = join(__dirname, "..", "..", "..", "..");
const SHIPPING = join(ROOT, "dist", "src", "concurrency", "shipping", "index.js");
const CLOSURE = join(ROOT, "dist", "src", "concurrency", "shipping", "closure.js");

const SCRIPT = `
const { packCall, unpackCall, registerTopLevelScope } = require(${JSON.stringify(SHIPPING)});
const { inspectorAvailable } = require(${JSON.stringify(CLOSURE)});
const out = { inspector: inspectorAvailable() };
const roundTrip = (fn, args = []) => unpackCall(structuredClone(packCall(fn, args, undefined, { for: "thread" })))();
// A cell's top level: what the executor registers.
const top = new Map([["factor", 3]]);
registerTopLevelScope((name) => (top.has(name) ? { value: top.get(name) } : undefined));
out.topLevel = roundTrip(new Function("return (n) => n * factor")(), [14]);
// A local of an enclosing function cannot be read.
function make(n) { return () => n * 2; }
try { packCall(make(21), [], undefined, { for: "thread", what: "Thread target" }); out.local = "packed"; }
catch (e) { out.local = { code: e.code, message: e.message }; }
// A function that arrived shipped keeps its captures known: it can be shipped on.
const shipped = unpackCall(packCall(new Function("return () => (m) => m + factor")(), [], undefined, { for: "thread" }))();
top.set("factor", 100); // what it captured (3) must travel on, not what the top level holds now
out.again = roundTrip(shipped, [4]);
process.stdout.write(JSON.stringify(out));
`;

test("without the inspector, closures travel from registered scopes; locals are refused with advice", () => {
  const run = spawnSync(
    process.execPath,
    ["--experimental-permission", `--allow-fs-read=${ROOT}/`, "--disable-warning=ExperimentalWarning", "-e", SCRIPT],
    { encoding: "utf8", timeout: 60_000 },
  );
  assert.equal(run.status, 0, run.stderr);
  const out = JSON.parse(run.stdout) as Record<string, unknown>;
  assert.equal(out.inspector, false, "the permission model denies the inspector");
  assert.equal(out.topLevel, 42);
  const local = out.local as { code: string; message: string };
  assert.equal(local.code, "ERR_SPINDLE_SHIP_UNKNOWN_REF");
  assert.match(local.message, /uses 'n' from .* permission model/);
  assert.match(local.message, /Pass it in `args`, or define it at the top level of a cell/);
  assert.equal(out.again, 7);
});
