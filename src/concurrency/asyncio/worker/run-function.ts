/**
 * Worker side of the plain-worker `toThread` runner: rebuilds the function
 * from its source, calls it with the cloned arguments, posts the outcome.
 */
import { parentPort, workerData } from "node:worker_threads";
import { serializeError } from "../../../errors";
import { setTimeScale } from "../../time/scale";
import type { RunFunctionData, RunFunctionResult } from "./messages";

const data = workerData as RunFunctionData;
setTimeScale(data.timeScale);

function rebuild(source: string): (...args: unknown[]) => unknown {
  // Method shorthand (`work(n) { … }`) is not an expression on its own; make it a function expression.
  const text = /^(async\s+)?(function\b|\(|[A-Za-z_$][\w$]*\s*=>)/.test(source.trim()) ? source : `function ${source}`;
  // `require` is handed in so the function can load modules (spindle/time, node:crypto, …) in the worker.
  return new Function("require", `return (${text});`)(require) as (...args: unknown[]) => unknown;
}

function reply(result: RunFunctionResult): void {
  try {
    parentPort?.postMessage(result);
  } catch (err) {
    parentPort?.postMessage({ ok: false, error: serializeError(err) } satisfies RunFunctionResult);
  }
}

Promise.resolve()
  .then(() => rebuild(data.source)(...data.args))
  .then(
    (value) => reply({ ok: true, value }),
    (err) => reply({ ok: false, error: serializeError(err) }),
  );
