/**
 * `interact(fn, { threads: [1, 8] })`: builds a control per parameter (a slider
 * for a range, a check box for a boolean, a drop-down for a list, a text box for
 * a string), shows them above an Output widget, runs `fn` once, and runs it
 * again into the Output (cleared first) whenever a control changes.
 */
import { DisplayHandle } from "../display/handle";
import { mimeBundleOf } from "../display/mime";
import { emit, newDisplayId } from "../display/output";
import { currentCell, writeStream } from "../runtime/cell-context";
import { Button, Checkbox, FloatSlider, IntSlider, Text, VBox } from "./controls";
import { WidgetError } from "./errors";
import { Output } from "./output";
import { Dropdown } from "./selection";
import { Widget } from "./widget";

/** One parameter: a range `[min, max]` / `[min, max, step]`, a number, a boolean, a string, a list of choices, or a widget. */
export type Abbreviation =
  | readonly [number, number]
  | readonly [number, number, number]
  | number
  | boolean
  | string
  | ReadonlyArray<unknown>
  | { readonly options: ReadonlyArray<unknown>; readonly value?: unknown }
  | Widget;

/** The value `fn` gets for an abbreviation. */
export type ValueOf<A> = A extends Widget
  ? unknown
  : A extends boolean
    ? boolean
    : A extends string
      ? string
      : A extends number
        ? number
        : A extends readonly [number, number] | readonly [number, number, number]
          ? number
          : A extends { readonly options: ReadonlyArray<infer U> }
            ? U
            : A extends ReadonlyArray<infer U>
              ? U
              : unknown;

/** Options of `interact`. */
export interface InteractOptions {
  /** Run only when a "Run" button is clicked (ipywidgets' interact_manual). */
  manual?: boolean;
  /** Sliders report while they are dragged (true) or when released (false, the default: each run may take a while). */
  continuousUpdate?: boolean;
}

/** What `interact` returns: a display handle with the controls, the output and `rerun()` to run again. */
export class Interactive<V extends Record<string, unknown>> extends DisplayHandle {
  /** The controls by parameter name. */
  readonly controls: Record<keyof V, Widget>;
  /** Where `fn`'s prints, displays and return value appear. */
  readonly output: Output;
  /** The whole UI (controls, Run button when manual, output). */
  readonly widget: VBox;
  readonly #fn: (values: V) => unknown;
  #running: Promise<void> | undefined;
  #again = false;

  /** Use `interact(fn, spec)`. */
  constructor(fn: (values: V) => unknown, controls: Record<keyof V, Widget>, options: InteractOptions) {
    super(newDisplayId(), currentCell());
    this.#fn = fn;
    this.controls = controls;
    this.output = new Output();
    const children = Object.values<Widget>(controls);
    if (options.manual === true) {
      const run = new Button({ description: "Run", buttonStyle: "primary" });
      run.onClick(() => this.rerun());
      children.push(run);
    } else {
      for (const control of Object.values<Widget>(controls)) control.observe(() => this.rerun(), "value");
    }
    this.widget = new VBox([...children, this.output]);
  }

  /** The controls' current values. */
  get values(): V {
    const out: Record<string, unknown> = {};
    for (const [name, control] of Object.entries<Widget>(this.controls))
      out[name] = (control as unknown as { value: unknown }).value;
    return out as V;
  }

  /** Runs `fn` again with the current values (a change during a run starts one more run after it). */
  rerun(): Promise<void> {
    if (this.#running) {
      this.#again = true;
      return this.#running;
    }
    this.#running = (async () => {
      try {
        do {
          this.#again = false;
          await this.#runOnce();
        } while (this.#again);
      } finally {
        this.#running = undefined;
      }
    })();
    return this.#running;
  }

  async #runOnce(): Promise<void> {
    await this.output.capture(
      async () => {
        try {
          const result = await this.#fn(this.values);
          if (result !== undefined && !(result instanceof DisplayHandle)) emit(mimeBundleOf(result));
        } catch (err) {
          // The error shows where the result would have: in the output, under the controls.
          writeStream(
            "stderr",
            `${err instanceof Error ? (err.stack ?? `${err.name}: ${err.message}`) : String(err)}\n`,
          );
        }
      },
      { clear: true },
    );
  }
}

/**
 * Shows controls for `spec`'s parameters and runs `fn(values)` into an output
 * below them, again on every change; resolves once the first run finished.
 * `await interact(({ threads }) => demo(threads), { threads: [1, 8] })`.
 */
export async function interact<const S extends Record<string, Abbreviation>>(
  fn: (values: { [K in keyof S]: ValueOf<S[K]> }) => unknown,
  spec: S,
  options: InteractOptions = {},
): Promise<Interactive<{ [K in keyof S]: ValueOf<S[K]> }>> {
  if (typeof fn !== "function") {
    throw new WidgetError("interact(fn, spec): fn must be a function taking the values, e.g. ({ n }) => n * 2.");
  }
  if (typeof spec !== "object" || spec === null) {
    throw new WidgetError("interact(fn, spec): spec must be an object such as { threads: [1, 8] }.");
  }
  const controls = {} as Record<keyof S, Widget>;
  for (const [name, abbrev] of Object.entries(spec)) {
    (controls as Record<string, Widget>)[name] = widgetFor(name, abbrev, options.continuousUpdate === true);
  }
  const ui = new Interactive(fn, controls, options);
  ui.display(ui.widget);
  const first = ui.rerun();
  currentCell()?.hold(first);
  await first;
  return ui;
}

/** The control for one abbreviation (ipywidgets' rules, with TypeScript's types). */
export function widgetFor(name: string, abbrev: Abbreviation, continuousUpdate = false): Widget {
  if (abbrev instanceof Widget) {
    if (!("value" in abbrev)) throw new WidgetError(`interact: the widget given for "${name}" has no value.`);
    return abbrev;
  }
  if (typeof abbrev === "boolean") return new Checkbox({ value: abbrev, description: name });
  if (typeof abbrev === "string") return new Text({ value: abbrev, description: name, continuousUpdate });
  if (typeof abbrev === "number") {
    const [min, max] = abbrev > 0 ? [-abbrev, 3 * abbrev] : abbrev < 0 ? [3 * abbrev, -abbrev] : [0, 1];
    return slider(name, min, max, undefined, abbrev, continuousUpdate);
  }
  if (Array.isArray(abbrev)) {
    const nums = abbrev.length >= 2 && abbrev.length <= 3 && abbrev.every((v) => typeof v === "number");
    if (nums) {
      const [min, max, step] = abbrev as readonly number[];
      if (min! > max!) {
        throw new WidgetError(
          `interact: the range for "${name}" is [${min}, ${max}]; give it as [min, max] with min ≤ max.`,
        );
      }
      return slider(name, min!, max!, step, undefined, continuousUpdate);
    }
    if (abbrev.length === 0) throw new WidgetError(`interact: the list of choices for "${name}" is empty.`);
    return new Dropdown({ options: abbrev, description: name });
  }
  if (typeof abbrev === "object" && abbrev !== null && "options" in abbrev) {
    return new Dropdown({ options: abbrev.options, value: abbrev.value, description: name });
  }
  throw new WidgetError(
    `interact: cannot make a control for "${name}" from ${JSON.stringify(abbrev)}; ` +
      "use [min, max], a boolean, a string, a list of choices or a widget.",
  );
}

function slider(
  name: string,
  min: number,
  max: number,
  step: number | undefined,
  value: number | undefined,
  continuousUpdate: boolean,
): Widget {
  const integer = [min, max, step ?? 1].every(Number.isInteger) && (value === undefined || Number.isInteger(value));
  const s = step ?? (integer ? 1 : (max - min) / 100);
  // ipywidgets starts in the middle of the range, on a step.
  const start = value ?? min + Math.floor((max - min) / 2 / s) * s;
  const options = { min, max, step: s, value: start, description: name, continuousUpdate };
  return integer ? new IntSlider(options) : new FloatSlider(options);
}
