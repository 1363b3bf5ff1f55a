/**
 * The kernel side of a Jupyter widget (widget protocol 2, as ipywidgets 8
 * speaks it): a model whose state lives here and in the frontend, kept in step
 * over a comm to the "jupyter.widget" target. The frontend's changes arrive as
 * `update` messages (answered with `echo_update`, then observers run); the
 * kernel's changes go out as `update`; `request_state` gets the full state;
 * `custom` messages carry events such as a button's click.
 */
import { randomUUID } from "node:crypto";
import { isMainThread } from "node:worker_threads";
import { openComm, type Comm, type CommMessage } from "../comm/comm";
import { CommError } from "../comm/errors";
import { JUPYTER_DISPLAY, type MimeBundle } from "../display/mime";
import { currentCell, writeStream } from "../runtime/cell-context";
import { WidgetError } from "./errors";
import { MODELS, type ModelKind } from "./models";
import { sameValue, toCamel, toWire } from "./names";

/** Version of the widget protocol sent with every comm_open (ipywidgets 8's `__protocol_version__`). */
export const WIDGET_PROTOCOL_VERSION = "2.1.0";
/** The mime type under which a frontend renders a widget's view. */
export const WIDGET_VIEW_MIME = "application/vnd.jupyter.widget-view+json";
/** The comm target of widget models. */
export const WIDGET_TARGET = "jupyter.widget";

/** A change of one property, as observers get it (traitlets' change dictionary). */
export interface Change<T = unknown> {
  /** The property's camelCase name, e.g. "value". */
  name: string;
  old: T;
  new: T;
  owner: Widget;
  type: "change";
}

/** Called after a property changed; a returned promise is awaited before the kernel goes idle. */
export type Observer<T = unknown> = (change: Change<T>) => void | Promise<void>;

/** Every live widget, by model id (widget references in state name models by id). */
const instances = new Map<string, Widget>();

/** The live widgets (what the frontend may ask to restore). */
export function liveWidgets(): ReadonlyMap<string, Widget> {
  return instances;
}

/** Which style model each kind of widget gets. */
const STYLE_OF: Partial<Record<ModelKind, ModelKind>> = {
  IntSlider: "SliderStyle",
  FloatSlider: "SliderStyle",
  IntRangeSlider: "SliderStyle",
  Button: "ButtonStyle",
  Checkbox: "CheckboxStyle",
  Dropdown: "DescriptionStyle",
  Play: "DescriptionStyle",
  ToggleButtons: "ToggleButtonsStyle",
  Text: "TextStyle",
  Label: "LabelStyle",
  HTML: "HTMLStyle",
  IntProgress: "ProgressStyle",
};

/** Base class of every widget model. Properties are accessors over the synced state. */
export class Widget {
  /** The model id (the comm id): `IPY_MODEL_<id>` refers to this widget in other widgets' state. */
  readonly modelId: string;
  readonly #kind: ModelKind;
  readonly #state: Record<string, unknown>;
  readonly #comm: Comm | undefined;
  readonly #observers = new Set<{ fn: Observer; names: Set<string> | undefined }>();
  readonly #custom = new Set<(content: Record<string, unknown>, buffers: Uint8Array[]) => void | Promise<void>>();
  /** Values the frontend is setting now: a kernel-side set to the same value is not sent back. */
  #fromFrontend: Record<string, unknown> | undefined;
  /** Promises returned by observers while a frontend message is handled. */
  #pending: Promise<unknown>[] | undefined;
  /** The request context the two fields above belong to (an interrupt may end a handler before it resets them). */
  #handling: unknown;
  #closed = false;

  /**
   * Creates the model and opens its comm (outside a kernel the widget works
   * detached). `options` are camelCase state keys; `internal` sets wire keys directly.
   */
  constructor(kind: ModelKind, options: object = {}, internal: Record<string, unknown> = {}) {
    if (!isMainThread) {
      throw new WidgetError(
        `${/^[AEIOU]/.test(kind) ? "An" : "A"} ${kind} cannot be created in a worker thread: ` +
          "widgets live in the notebook's main thread. " +
          "Create it in the cell and let the thread report through a Queue or a shared value.",
      );
    }
    this.#kind = kind;
    const def = MODELS[kind];
    const state: Record<string, unknown> = { ...structuredClone(def.defaults), ...internal };
    this.#state = state;
    const given = { ...(options as Record<string, unknown>) };
    const { layout, style } = given;
    delete given.layout;
    delete given.style;
    for (const [name, value] of Object.entries(given)) {
      if (value === undefined) continue;
      const wire = this.#checkKey(name);
      state[wire] = this.coerce(wire, value);
    }
    Object.assign(state, this.adjust());
    if ("layout" in state)
      state.layout = layout instanceof Widget ? layout : new Layout((layout ?? {}) as LayoutOptions);
    const styleKind = STYLE_OF[kind];
    if ("style" in state && styleKind)
      state.style = style instanceof Widget ? style : new Style(styleKind, (style ?? {}) as object);
    else if (style !== undefined) throw new WidgetError(`${kind} has no style; remove the style option.`);
    for (const wire of Object.keys(state)) {
      if (wire.startsWith("_") || toCamel(wire) in this) continue;
      Object.defineProperty(this, toCamel(wire), {
        get: () => this.#state[wire],
        set: (value: unknown) => this.setWire({ [wire]: value }),
        enumerable: true,
      });
    }
    let comm: Comm | undefined;
    try {
      const opening = { state: serialize({ ...def.spec, ...state }), buffer_paths: [] };
      comm = openComm(WIDGET_TARGET, opening, { metadata: { version: WIDGET_PROTOCOL_VERSION } });
    } catch (err) {
      if (!(err instanceof CommError)) throw err;
      // No frontend (a plain Node script): the model works here, nobody renders it.
    }
    this.#comm = comm;
    this.modelId = comm?.commId ?? randomUUID().replace(/-/g, "");
    instances.set(this.modelId, this);
    comm?.onMessage((msg) => this.#onMessage(msg));
    comm?.onClose(() => this.#forget());
  }

  /** The ipywidgets class name of this model, e.g. "IntSlider". */
  get kind(): ModelKind {
    return this.#kind;
  }

  /** True once closed (by `close()` or by the frontend). */
  get closed(): boolean {
    return this.#closed;
  }

  /** Sets several properties at once (one update message); keys are camelCase property names. */
  set(values: Record<string, unknown>): void {
    const wire: Record<string, unknown> = {};
    for (const [name, value] of Object.entries(values)) {
      // Kernel-only properties (a dropdown's value) are set through their accessors.
      if (!(toWire(name) in this.#state) && this.names().includes(name)) Reflect.set(this, name, value);
      else wire[this.#checkKey(name)] = value;
    }
    this.setWire(wire);
  }

  /** Calls `fn` after any of `names` (camelCase; all properties when omitted) changes; returns a function that stops it. */
  observe<T = unknown>(fn: Observer<T>, names?: string | string[]): () => void {
    if (typeof fn !== "function") throw new WidgetError(`${this.#kind}.observe needs a function, got ${typeof fn}.`);
    const list = names === undefined ? undefined : Array.isArray(names) ? names : [names];
    for (const name of list ?? []) if (!this.names().includes(name)) this.#checkKey(name);
    const entry = { fn: fn as Observer, names: list ? new Set(list) : undefined };
    this.#observers.add(entry);
    return () => this.#observers.delete(entry);
  }

  /** Sends a custom message to the frontend model (`method: "custom"`). */
  send(content: Record<string, unknown>, buffers: ArrayBufferView[] = []): void {
    this.#comm?.send({ method: "custom", content }, { buffers });
  }

  /** Calls `fn` for every custom message from the frontend; returns a function that stops it. */
  onCustom(fn: (content: Record<string, unknown>, buffers: Uint8Array[]) => void | Promise<void>): () => void {
    this.#custom.add(fn);
    return () => this.#custom.delete(fn);
  }

  /** Closes the model: the frontend removes its views. */
  close(): void {
    if (this.#closed) return;
    this.#comm?.close();
    this.#forget();
  }

  /** The widget view bundle, with a text/plain fallback for consoles and nbconvert. */
  [JUPYTER_DISPLAY](): MimeBundle {
    return {
      "text/plain": this.toString(),
      [WIDGET_VIEW_MIME]: { version_major: 2, version_minor: 0, model_id: this.modelId },
    };
  }

  /** `IntSlider(value=3, min=1, max=8)`: the properties that differ from the defaults. */
  toString(): string {
    const defaults = MODELS[this.#kind].defaults as Record<string, unknown>;
    const parts: string[] = [];
    const first = ["value", "min", "max", "step"];
    const rank = (k: string): number => (first.includes(k) ? first.indexOf(k) : first.length);
    const entries = Object.entries(this.#state).sort(([a], [b]) => rank(a) - rank(b));
    for (const [wire, value] of entries) {
      if (wire.startsWith("_") || value instanceof Widget || sameValue(value, defaults[wire])) continue;
      parts.push(`${toCamel(wire)}=${JSON.stringify(value)}`);
    }
    return `${this.#kind}(${parts.join(", ")})`;
  }

  /** The whole wire state (model and view names included), as `request_state` sends it. */
  fullState(): Record<string, unknown> {
    return { ...MODELS[this.#kind].spec, ...this.#state };
  }

  /** Sets state by wire key: validates, stores, sends one update, then runs observers. */
  protected setWire(values: Record<string, unknown>): void {
    if (this.#closed) throw new WidgetError(`This ${this.#kind} is closed; create a new one.`);
    // A key set and then adjusted (clamped) is one change, from its first old value to its last new one.
    const olds = new Map<string, unknown>();
    const apply = (wire: string, value: unknown): void => {
      if (!olds.has(wire)) olds.set(wire, this.#state[wire]);
      this.#state[wire] = value;
    };
    const before = { ...this.#state };
    try {
      for (const [wire, value] of Object.entries(values)) apply(wire, this.coerce(wire, value));
      for (const [wire, value] of Object.entries(this.adjust())) apply(wire, value);
    } catch (err) {
      Object.assign(this.#state, before);
      throw err;
    }
    const changes = [...olds]
      .filter(([wire, old]) => !sameValue(old, this.#state[wire]))
      .map(([wire, old]) => ({ wire, old, value: this.#state[wire] }));
    const toSend: Record<string, unknown> = {};
    for (const { wire, value } of changes) {
      const lock = this.#handling === currentCell() ? this.#fromFrontend : undefined;
      if (lock && wire in lock && sameValue(serialize(value), lock[wire])) continue;
      toSend[wire] = value;
    }
    if (Object.keys(toSend).length > 0)
      this.#comm?.send({ method: "update", state: serialize(toSend), buffer_paths: [] });
    for (const { wire, old, value } of changes) this.notify(toCamel(wire), old, value);
  }

  /** Reads state by wire key. */
  protected getWire(wire: string): unknown {
    return this.#state[wire];
  }

  /** Checks and converts a value about to be stored; subclasses validate their keys. */
  protected coerce(_wire: string, value: unknown): unknown {
    return value;
  }

  /** Values to fix after a change (a slider's value clamped into a new range). */
  protected adjust(): Record<string, unknown> {
    return {};
  }

  /** Runs the observers of `name`; subclasses add derived changes (a dropdown's value follows its index). */
  protected notify(name: string, old: unknown, value: unknown): void {
    const change: Change = { name, old, new: value, owner: this, type: "change" };
    for (const { fn, names } of [...this.#observers]) {
      if (names && !names.has(name)) continue;
      const result = fn(change);
      if (result instanceof Promise) {
        if (this.#pending && this.#handling === currentCell()) this.#pending.push(result);
        else
          void result.catch((err: unknown) =>
            writeStream("stderr", `An observer of ${this.#kind}.${name} failed: ${String(err)}\n`),
          );
      }
    }
  }

  /** Names the frontend never sets from here (kernel-only derived properties). */
  protected names(): string[] {
    return Object.keys(this.#state)
      .filter((k) => !k.startsWith("_"))
      .map(toCamel);
  }

  #checkKey(name: string): string {
    const wire = toWire(name);
    if (!wire.startsWith("_") && wire in this.#state) return wire;
    throw new WidgetError(`${this.#kind} has no property "${name}"; it has: ${this.names().join(", ")}.`);
  }

  async #onMessage(msg: CommMessage): Promise<void> {
    const data = msg.data;
    switch (data.method) {
      case "update": {
        const state = isObject(data.state) ? data.state : {};
        putBuffers(state, data.buffer_paths, msg.buffers);
        const known = Object.fromEntries(Object.entries(state).filter(([k]) => k in this.#state && !k.startsWith("_")));
        // ipywidgets 8 frontends expect their own change echoed back before other updates.
        if (Object.keys(known).length > 0) this.#comm?.send({ method: "echo_update", state: known, buffer_paths: [] });
        const pending: Promise<unknown>[] = [];
        this.#fromFrontend = known;
        this.#pending = pending;
        this.#handling = currentCell();
        try {
          this.setWire(Object.fromEntries(Object.entries(known).map(([k, v]) => [k, deserialize(v)])));
        } finally {
          this.#fromFrontend = undefined;
          this.#pending = undefined;
        }
        await Promise.all(pending);
        return;
      }
      case "request_state":
        this.#comm?.send({ method: "update", state: serialize(this.fullState()), buffer_paths: [] });
        return;
      case "custom": {
        const content = isObject(data.content) ? data.content : {};
        for (const fn of [...this.#custom]) await fn(content, msg.buffers);
        return;
      }
      default:
        throw new WidgetError(`${this.#kind} got a widget message with unknown method ${JSON.stringify(data.method)}.`);
    }
  }

  #forget(): void {
    this.#closed = true;
    instances.delete(this.modelId);
  }
}

/** CSS layout properties of a widget (camelCase of ipywidgets' Layout traits), e.g. `{ width: "300px" }`. */
export interface LayoutOptions {
  width?: string | null;
  height?: string | null;
  minWidth?: string | null;
  maxWidth?: string | null;
  minHeight?: string | null;
  maxHeight?: string | null;
  margin?: string | null;
  padding?: string | null;
  border?: string | null;
  display?: string | null;
  flex?: string | null;
  flexFlow?: string | null;
  alignItems?: string | null;
  alignContent?: string | null;
  alignSelf?: string | null;
  justifyContent?: string | null;
  overflow?: string | null;
  visibility?: string | null;
  gridArea?: string | null;
  gridTemplateColumns?: string | null;
  gridTemplateRows?: string | null;
  gridGap?: string | null;
  order?: string | null;
}

/** A widget's layout (the base LayoutModel): CSS sizes, margins, flex settings. */
export class Layout extends Widget {
  /** Creates a layout; `border` sets all four borders, as in ipywidgets. */
  constructor(options: LayoutOptions = {}) {
    const { border, ...rest } = options;
    const sides =
      border === undefined ? {} : { borderTop: border, borderRight: border, borderBottom: border, borderLeft: border };
    super("Layout", { ...rest, ...sides });
  }
}

/** A widget's style model (SliderStyle, ButtonStyle, …): colors, fonts, `descriptionWidth`. */
export class Style extends Widget {
  /** Creates the style model `kind` with camelCase options, e.g. `{ descriptionWidth: "initial" }`. */
  constructor(kind: ModelKind, options: object = {}) {
    super(kind, options);
  }
}

/** Turns kernel-side state into JSON: widgets become "IPY_MODEL_<id>" references. */
export function serialize<T>(value: T): T {
  if (value instanceof Widget) return `IPY_MODEL_${value.modelId}` as T;
  if (Array.isArray(value)) return value.map((v: unknown) => serialize(v)) as T;
  if (isObject(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, serialize(v)])) as T;
  return value;
}

/** Turns "IPY_MODEL_<id>" references from the frontend back into the widgets. */
export function deserialize(value: unknown): unknown {
  if (typeof value === "string" && value.startsWith("IPY_MODEL_")) return instances.get(value.slice(10)) ?? value;
  if (Array.isArray(value)) return value.map(deserialize);
  return value;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value) && !(value instanceof Widget);
}

/** Puts binary buffers back at their paths in the state (ipywidgets' `_put_buffers`). */
function putBuffers(state: Record<string, unknown>, paths: unknown, buffers: Uint8Array[]): void {
  if (!Array.isArray(paths)) return;
  paths.forEach((path, i) => {
    if (!Array.isArray(path) || path.length === 0) return;
    let obj: Record<string | number, unknown> = state;
    for (const key of path.slice(0, -1)) obj = obj[key as string] as Record<string, unknown>;
    obj[path[path.length - 1] as string] = buffers[i];
  });
}
