/**
 * The controls of @jupyter-widgets/controls 2.0.0 that Spindle offers, as typed
 * classes: properties are camelCase accessors over the synced state, options
 * are one object (`new IntSlider({ value: 4, min: 1, max: 8, description: "threads" })`).
 */
import { WidgetError } from "./errors";
import type { ModelKind } from "./models";
import { Widget, type Layout, type LayoutOptions, type Style } from "./widget";

/** Options every widget with a view takes. */
export interface DOMWidgetOptions {
  layout?: Layout | LayoutOptions;
  tooltip?: string | null;
  tabbable?: boolean | null;
}

/** Options of widgets with a description label. */
export interface DescriptionOptions extends DOMWidgetOptions {
  description?: string;
  descriptionAllowHtml?: boolean;
  /** A style model or its camelCase options, e.g. `{ descriptionWidth: "initial" }`. */
  style?: Style | Record<string, unknown>;
}

/** Options of the number sliders. */
export interface SliderOptions<T> extends DescriptionOptions {
  value?: T;
  min?: number;
  max?: number;
  step?: number;
  disabled?: boolean;
  /** false: the kernel hears of a new value only when the user lets go of the handle. */
  continuousUpdate?: boolean;
  orientation?: "horizontal" | "vertical";
  readout?: boolean;
  readoutFormat?: string;
  behavior?: "drag-tap" | "drag-snap" | "tap" | "drag" | "snap";
}

/** A number of the right kind (integer for Int widgets), or an error naming the property. */
function numberOf(kind: ModelKind, wire: string, value: unknown, integer: boolean): number {
  if (typeof value !== "number" || !Number.isFinite(value) || (integer && !Number.isInteger(value))) {
    throw new WidgetError(
      `${kind}.${wire} must be ${integer ? "an integer" : "a finite number"}, got ${JSON.stringify(value)}.`,
    );
  }
  return value;
}

/** Sliders and progress bars: numbers checked, the value kept within [min, max] (as ipywidgets clamps it). */
abstract class Bounded extends Widget {
  protected override coerce(wire: string, value: unknown): unknown {
    if (wire === "value" && Array.isArray(value)) return value.map((v) => numberOf(this.kind, wire, v, this.isInt()));
    if (["value", "min", "max", "step", "interval"].includes(wire))
      return numberOf(this.kind, wire, value, this.isInt());
    return value;
  }

  protected override adjust(): Record<string, unknown> {
    const min = this.getWire("min") as number;
    const max = this.getWire("max") as number;
    if (min > max)
      throw new WidgetError(`${this.kind}: min (${min}) is above max (${max}); set them so that min ≤ max.`);
    const value = this.getWire("value");
    const clamp = (v: number): number => Math.min(max, Math.max(min, v));
    if (Array.isArray(value)) {
      const lo = clamp(Math.min(value[0] as number, value[1] as number));
      const hi = clamp(Math.max(value[0] as number, value[1] as number));
      return lo === value[0] && hi === value[1] ? {} : { value: [lo, hi] };
    }
    return clamp(value as number) === value ? {} : { value: clamp(value as number) };
  }

  // By kind, not a subclass field: fields are not set yet while the base constructor coerces options.
  private isInt(): boolean {
    return !/^Float/.test(this.kind);
  }
}

/** The properties the three sliders share; `T` is the value: a number, or `[low, high]` for a range. */
abstract class Slider<T> extends Bounded {
  declare value: T;
  declare min: number;
  declare max: number;
  declare step: number;
  declare description: string;
  declare disabled: boolean;
  declare continuousUpdate: boolean;
}

/** A slider of integers. */
export class IntSlider extends Slider<number> {
  /** Creates the slider (default range 0–100). */
  constructor(options: SliderOptions<number> = {}) {
    super("IntSlider", options);
  }
}

/** A slider of floating-point numbers. */
export class FloatSlider extends Slider<number> {
  /** Creates the slider (default range 0–100, step 0.1). */
  constructor(options: SliderOptions<number> = {}) {
    super("FloatSlider", options);
  }
}

/** A slider picking a range `[low, high]` of integers. */
export class IntRangeSlider extends Slider<[number, number]> {
  /** Creates the slider (default value [25, 75]). */
  constructor(options: SliderOptions<[number, number]> = {}) {
    super("IntRangeSlider", options);
  }
}

/** A horizontal or vertical progress bar of integers. */
export class IntProgress extends Bounded {
  declare value: number;
  declare min: number;
  declare max: number;
  declare description: string;
  declare barStyle: "" | "success" | "info" | "warning" | "danger";
  /** Creates the bar (default range 0–100). */
  constructor(
    options: DescriptionOptions & {
      value?: number;
      min?: number;
      max?: number;
      orientation?: "horizontal" | "vertical";
      barStyle?: "" | "success" | "info" | "warning" | "danger";
    } = {},
  ) {
    super("IntProgress", options);
  }
}

/** Play / pause / stop buttons that step `value` from min to max every `interval` milliseconds (in the browser). */
export class Play extends Bounded {
  declare value: number;
  declare min: number;
  declare max: number;
  declare step: number;
  declare interval: number;
  declare playing: boolean;
  declare repeat: boolean;
  /** Creates the player (link its value to a slider with `link`). */
  constructor(
    options: DescriptionOptions & {
      value?: number;
      min?: number;
      max?: number;
      step?: number;
      interval?: number;
      playing?: boolean;
      repeat?: boolean;
      showRepeat?: boolean;
      disabled?: boolean;
    } = {},
  ) {
    super("Play", options);
  }
}

/** A check box. */
export class Checkbox extends Widget {
  declare value: boolean;
  declare description: string;
  declare disabled: boolean;
  declare indent: boolean;
  /** Creates the check box. */
  constructor(options: DescriptionOptions & { value?: boolean; disabled?: boolean; indent?: boolean } = {}) {
    super("Checkbox", options);
  }

  protected override coerce(wire: string, value: unknown): unknown {
    if (wire === "value" && typeof value !== "boolean") {
      throw new WidgetError(`Checkbox.value must be true or false, got ${JSON.stringify(value)}.`);
    }
    return value;
  }
}

/** A one-line text box. */
export class Text extends Widget {
  declare value: string;
  declare placeholder: string;
  declare description: string;
  declare disabled: boolean;
  declare continuousUpdate: boolean;
  /** Creates the text box. */
  constructor(
    options: DescriptionOptions & {
      value?: string;
      placeholder?: string;
      disabled?: boolean;
      continuousUpdate?: boolean;
    } = {},
  ) {
    super("Text", options);
  }

  protected override coerce(wire: string, value: unknown): unknown {
    if (wire === "value" && typeof value !== "string")
      throw new WidgetError(`Text.value must be a string, got ${JSON.stringify(value)}.`);
    return value;
  }
}

/** Plain text next to other widgets. */
export class Label extends Widget {
  declare value: string;
  /** Creates the label. */
  constructor(options: DescriptionOptions & { value?: string; placeholder?: string } = {}) {
    super("Label", options);
  }
}

/** A piece of HTML. */
export class HTML extends Widget {
  declare value: string;
  /** Creates the HTML widget. */
  constructor(options: DescriptionOptions & { value?: string; placeholder?: string } = {}) {
    super("HTML", options);
  }
}

/** A button; `onClick(fn)` runs `fn` in the kernel on every click. */
export class Button extends Widget {
  declare description: string;
  declare disabled: boolean;
  declare icon: string;
  declare buttonStyle: "" | "primary" | "success" | "info" | "warning" | "danger";
  readonly #clicks = new Set<(button: Button) => void | Promise<void>>();

  /** Creates the button; its label is `description`. */
  constructor(
    options: DescriptionOptions & {
      disabled?: boolean;
      icon?: string;
      buttonStyle?: "" | "primary" | "success" | "info" | "warning" | "danger";
    } = {},
  ) {
    super("Button", options);
    this.onCustom(async (content) => {
      if (content.event !== "click") return;
      for (const fn of [...this.#clicks]) await fn(this);
    });
  }

  /** Calls `fn` on every click (a returned promise is awaited); returns a function that stops it. */
  onClick(fn: (button: Button) => void | Promise<void>): () => void {
    this.#clicks.add(fn);
    return () => this.#clicks.delete(fn);
  }

  /** Acts as if the button were clicked (runs the click handlers). */
  async click(): Promise<void> {
    for (const fn of [...this.#clicks]) await fn(this);
  }
}

/** Options of Box widgets. */
export interface BoxOptions extends DOMWidgetOptions {
  children?: Widget[];
  boxStyle?: "" | "success" | "info" | "warning" | "danger";
}

/** A row of widgets. */
export class HBox extends Widget {
  declare children: Widget[];
  /** Creates the row: `new HBox([a, b])` or `new HBox({ children: [a, b] })`. */
  constructor(options: BoxOptions | Widget[] = {}) {
    super("HBox", boxOptions(options));
  }

  protected override coerce(wire: string, value: unknown): unknown {
    return wire === "children" ? children("HBox", value) : value;
  }
}

/** A column of widgets. */
export class VBox extends Widget {
  declare children: Widget[];
  /** Creates the column: `new VBox([a, b])` or `new VBox({ children: [a, b] })`. */
  constructor(options: BoxOptions | Widget[] = {}) {
    super("VBox", boxOptions(options));
  }

  protected override coerce(wire: string, value: unknown): unknown {
    return wire === "children" ? children("VBox", value) : value;
  }
}

function boxOptions(options: BoxOptions | Widget[]): BoxOptions {
  return Array.isArray(options) ? { children: options } : options;
}

function children(kind: string, value: unknown): Widget[] {
  if (!Array.isArray(value) || !value.every((w) => w instanceof Widget)) {
    throw new WidgetError(`${kind}.children must be an array of widgets (IntSlider, Button, …).`);
  }
  return [...value];
}
