/**
 * The "jupyter.widget.control" comm: a frontend that (re)connects asks for the
 * state of every live widget in one message (`request_states`), answered with
 * `update_states`, instead of one request per model.
 */
import { registerTarget } from "../comm/comm";
import { liveWidgets, serialize } from "./widget";
import { MODELS } from "./models";

/** Registers the control comm target (called once when spindle/widgets loads). */
export function registerControlTarget(): void {
  registerTarget("jupyter.widget.control", (comm) => {
    comm.onMessage((msg) => {
      if (msg.data.method !== "request_states") return;
      const states: Record<string, unknown> = {};
      for (const [id, widget] of liveWidgets()) {
        const spec = MODELS[widget.kind].spec;
        states[id] = {
          model_name: spec._model_name,
          model_module: spec._model_module,
          model_module_version: spec._model_module_version,
          state: serialize(widget.fullState()),
        };
      }
      comm.send({ method: "update_states", states, buffer_paths: [] });
    });
  });
}
