/**
 * Widgets that pick one of several options (Dropdown, ToggleButtons). The wire
 * state holds only the labels and the selected index; the option values stay
 * in the kernel, so they can be anything (numbers, objects, functions).
 */
import { WidgetError } from "./errors";
import { sameValue } from "./names";
import { Widget } from "./widget";
import type { DescriptionOptions } from "./controls";

/** Options as labels (`["a", "b"]`), values shown by their text (`[1, 2]`) or `[label, value]` pairs. */
export type SelectionOptions<T> = ReadonlyArray<T | readonly [string, T]>;

/** Options of Dropdown and ToggleButtons. */
export interface SelectionWidgetOptions<T> extends DescriptionOptions {
  options?: SelectionOptions<T>;
  /** The selected option's value (the first option by default). */
  value?: T;
  disabled?: boolean;
}

function split<T>(kind: string, options: SelectionOptions<T>): { labels: string[]; values: T[] } {
  if (!Array.isArray(options)) {
    throw new WidgetError(`${kind}.options must be an array, e.g. ["fast", "slow"] or [["one", 1], ["two", 2]].`);
  }
  const labels: string[] = [];
  const values: T[] = [];
  for (const option of options as unknown[]) {
    if (Array.isArray(option) && option.length === 2 && typeof option[0] === "string") {
      labels.push(option[0]);
      values.push(option[1] as T);
    } else {
      labels.push(String(option));
      values.push(option as T);
    }
  }
  return { labels, values };
}

/** The shared engine of single-selection widgets. */
abstract class Selection<T> extends Widget {
  #values: T[];
  declare index: number | null;
  declare description: string;
  declare disabled: boolean;

  constructor(kind: "Dropdown" | "ToggleButtons", options: SelectionWidgetOptions<T>) {
    const { options: opts = [], value, ...rest } = options;
    const { labels, values } = split(kind, opts);
    let index: number | null = values.length > 0 ? 0 : null;
    if (value !== undefined) {
      index = values.findIndex((v) => sameValue(v, value));
      if (index < 0)
        throw new WidgetError(
          `${kind}: value ${JSON.stringify(value)} is not one of the options (${labels.join(", ")}).`,
        );
    }
    super(kind, rest, { _options_labels: labels, index });
    this.#values = values;
  }

  /** The selected option's value (undefined when nothing is selected). */
  get value(): T | undefined {
    const i = this.getWire("index");
    return typeof i === "number" ? this.#values[i] : undefined;
  }

  set value(value: T | undefined) {
    const i = this.#values.findIndex((v) => sameValue(v, value));
    if (i < 0)
      throw new WidgetError(
        `${this.kind}: value ${JSON.stringify(value)} is not one of the options (${this.labels.join(", ")}).`,
      );
    this.setWire({ index: i });
  }

  /** The selected option's label. */
  get label(): string | undefined {
    const i = this.getWire("index");
    return typeof i === "number" ? this.labels[i] : undefined;
  }

  /** The labels shown, in order. */
  get labels(): string[] {
    return [...(this.getWire("_options_labels") as string[])];
  }

  /** The options' values, in order. */
  get options(): T[] {
    return [...this.#values];
  }

  /** Replaces the options; the selection stays on the same value when it is still there, else the first option. */
  set options(options: SelectionOptions<T>) {
    const old = this.value;
    const { labels, values } = split(this.kind, options);
    this.#values = values;
    const kept = values.findIndex((v) => sameValue(v, old));
    this.setWire({ _options_labels: labels, index: kept >= 0 ? kept : values.length > 0 ? 0 : null });
  }

  protected override coerce(wire: string, value: unknown): unknown {
    if (wire !== "index" || value === null) return value;
    const n = (this.getWire("_options_labels") as string[] | undefined)?.length ?? 0;
    if (typeof value !== "number" || !Number.isInteger(value) || value < 0 || value >= n) {
      throw new WidgetError(`${this.kind}.index must be an integer from 0 to ${n - 1}, got ${JSON.stringify(value)}.`);
    }
    return value;
  }

  protected override notify(name: string, old: unknown, value: unknown): void {
    super.notify(name, old, value);
    if (name !== "index") return;
    const at = (i: unknown): [T | undefined, string | undefined] =>
      typeof i === "number" ? [this.#values?.[i], this.labels[i]] : [undefined, undefined];
    const [oldValue, oldLabel] = at(old);
    const [newValue, newLabel] = at(value);
    super.notify("value", oldValue, newValue);
    super.notify("label", oldLabel, newLabel);
  }

  protected override names(): string[] {
    return [...super.names(), "value", "label", "options"];
  }
}

/** A drop-down list. */
export class Dropdown<T = string> extends Selection<T> {
  /** Creates the list: `new Dropdown({ options: ["threads", "processes"], value: "threads" })`. */
  constructor(options: SelectionWidgetOptions<T> = {}) {
    super("Dropdown", options);
  }
}

/** A row of toggle buttons, one pressed at a time. */
export class ToggleButtons<T = string> extends Selection<T> {
  declare buttonStyle: "" | "primary" | "success" | "info" | "warning" | "danger";
  /** Creates the buttons: `new ToggleButtons({ options: ["Lock", "no Lock"] })`. */
  constructor(
    options: SelectionWidgetOptions<T> & {
      tooltips?: string[];
      icons?: string[];
      buttonStyle?: "" | "primary" | "success" | "info" | "warning" | "danger";
    } = {},
  ) {
    super("ToggleButtons", options);
  }
}
