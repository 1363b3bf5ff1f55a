/**
 * The widget models Spindle speaks, as ipywidgets 8.1.9 defines them: model and
 * view names, modules and versions, and the state of a fresh instance (its
 * `get_state()`; `layout` and `style` are filled in by the constructors).
 * Taken from ipywidgets itself, so the wire state matches what
 * @jupyter-widgets/controls 2.0.0, base 2.0.0 and output 1.0.0 expect. The
 * states are built from the trait groups ipywidgets' own classes share
 * (DOMWidget, DescriptionWidget, the sliders, the styles).
 */

/** Names, modules and versions of a model and its view. */
export interface ModelSpec {
  _model_name: string;
  _model_module: string;
  _model_module_version: string;
  _view_name: string | null;
  _view_module: string;
  _view_module_version: string;
}

/** A model: its spec and the default values of its other state keys. */
export interface ModelDefinition {
  spec: ModelSpec;
  defaults: Record<string, unknown>;
}

const CONTROLS = "@jupyter-widgets/controls";
const BASE = "@jupyter-widgets/base";
const OUTPUT = "@jupyter-widgets/output";

/** The spec of model `${name}Model` in `modelModule`, shown by `view` (default `${name}View`) of `viewModule`. */
function spec(name: string, view = `${name}View`, modelModule = CONTROLS, viewModule = modelModule): ModelSpec {
  const version = (module: string): string => (module === OUTPUT ? "1.0.0" : "2.0.0");
  return {
    _model_name: `${name}Model`,
    _model_module: modelModule,
    _model_module_version: version(modelModule),
    _view_name: view,
    _view_module: viewModule,
    _view_module_version: version(viewModule),
  };
}

/** A style model of the controls: every one is shown by the base module's StyleView. */
function styleSpec(name: string): ModelSpec {
  return spec(name, "StyleView", CONTROLS, BASE);
}

/** The groups merged, keys sorted by name as ipywidgets' `get_state()` lists them (reprs follow this order). */
function state(...groups: Record<string, unknown>[]): Record<string, unknown> {
  const merged: Record<string, unknown> = Object.assign({}, ...groups);
  return Object.fromEntries(
    Object.keys(merged)
      .sort()
      .map((key) => [key, merged[key]]),
  );
}

/** Keys that start out null. */
function nulls(...keys: string[]): Record<string, null> {
  return Object.fromEntries(keys.map((key) => [key, null]));
}

/** Every widget model counts its views. */
const MODEL = { _view_count: null };
/** DOMWidget: what every widget with a view has. */
const DOM = { ...MODEL, _dom_classes: [], layout: null, tabbable: null, tooltip: null };
/** DescriptionWidget: a DOM widget with a label. */
const DESCRIBED = { ...DOM, description: "", description_allow_html: false, style: null };
/** The number sliders. */
const SLIDER = {
  ...DESCRIBED,
  behavior: "drag-tap",
  continuous_update: true,
  disabled: false,
  orientation: "horizontal",
  readout: true,
};
/** The integer range of sliders, progress bars and Play. */
const INT_RANGE = { max: 100, min: 0, step: 1 };
/** Label, HTML and Text: a string value with an (invisible) placeholder. */
const STRING = { placeholder: "\u200b", value: "" };
/** The selection widgets. */
const SELECTION = { _options_labels: [], disabled: false, index: null };
/** HBox and VBox. */
const BOX = { ...DOM, box_style: "", children: [] };
/** DescriptionStyle: the width of the label. */
const DESCRIPTION_STYLE = { ...MODEL, description_width: "" };
/** The font traits of the text styles. */
const FONT = nulls(
  "font_family",
  "font_size",
  "font_style",
  "font_variant",
  "font_weight",
  "text_color",
  "text_decoration",
);

/** Every model, by ipywidgets class name. */
export const MODELS = {
  Button: {
    spec: spec("Button"),
    defaults: state(DOM, { button_style: "", description: "", disabled: false, icon: "", style: null }),
  },
  ButtonStyle: { spec: styleSpec("ButtonStyle"), defaults: state(MODEL, FONT, { button_color: null }) },
  Checkbox: {
    spec: spec("Checkbox"),
    defaults: state(DESCRIBED, { disabled: false, indent: true, value: false }),
  },
  CheckboxStyle: { spec: styleSpec("CheckboxStyle"), defaults: state(DESCRIPTION_STYLE, { background: null }) },
  DescriptionStyle: { spec: styleSpec("DescriptionStyle"), defaults: state(DESCRIPTION_STYLE) },
  Dropdown: { spec: spec("Dropdown"), defaults: state(DESCRIBED, SELECTION) },
  FloatSlider: {
    spec: spec("FloatSlider"),
    defaults: state(SLIDER, { max: 100.0, min: 0.0, readout_format: ".2f", step: 0.1, value: 0.0 }),
  },
  HBox: { spec: spec("HBox"), defaults: state(BOX) },
  HTML: { spec: spec("HTML"), defaults: state(DESCRIBED, STRING) },
  HTMLStyle: {
    spec: styleSpec("HTMLStyle"),
    defaults: state(DESCRIPTION_STYLE, { background: null, font_size: null, text_color: null }),
  },
  IntProgress: {
    spec: spec("IntProgress", "ProgressView"),
    defaults: state(DESCRIBED, { bar_style: "", max: 100, min: 0, orientation: "horizontal", value: 0 }),
  },
  IntRangeSlider: {
    spec: spec("IntRangeSlider"),
    defaults: state(SLIDER, INT_RANGE, { readout_format: "d", value: [25, 75] }),
  },
  IntSlider: { spec: spec("IntSlider"), defaults: state(SLIDER, INT_RANGE, { readout_format: "d", value: 0 }) },
  Label: { spec: spec("Label"), defaults: state(DESCRIBED, STRING) },
  LabelStyle: { spec: styleSpec("LabelStyle"), defaults: state(DESCRIPTION_STYLE, FONT, { background: null }) },
  Layout: {
    spec: spec("Layout", "LayoutView", BASE),
    defaults: state(
      MODEL,
      nulls(
        ...["align_content", "align_items", "align_self", "bottom", "display", "flex", "flex_flow", "height"],
        ...["border_bottom", "border_left", "border_right", "border_top"],
        ...["grid_area", "grid_auto_columns", "grid_auto_flow", "grid_auto_rows", "grid_column", "grid_gap"],
        ...["grid_row", "grid_template_areas", "grid_template_columns", "grid_template_rows"],
        ...["justify_content", "justify_items", "left", "margin", "max_height", "max_width", "min_height"],
        ...["min_width", "object_fit", "object_position", "order", "overflow", "padding", "right", "top"],
        ...["visibility", "width"],
      ),
    ),
  },
  Output: { spec: spec("Output", "OutputView", OUTPUT), defaults: state(DOM, { msg_id: "", outputs: [] }) },
  Play: {
    spec: spec("Play"),
    defaults: state(DESCRIBED, INT_RANGE, {
      disabled: false,
      interval: 100,
      playing: false,
      repeat: false,
      show_repeat: true,
      value: 0,
    }),
  },
  ProgressStyle: { spec: styleSpec("ProgressStyle"), defaults: state(DESCRIPTION_STYLE, { bar_color: null }) },
  SliderStyle: { spec: styleSpec("SliderStyle"), defaults: state(DESCRIPTION_STYLE, { handle_color: null }) },
  Text: {
    spec: spec("Text"),
    defaults: state(DESCRIBED, STRING, { continuous_update: true, disabled: false }),
  },
  TextStyle: {
    spec: styleSpec("TextStyle"),
    defaults: state(DESCRIPTION_STYLE, { background: null, font_size: null, text_color: null }),
  },
  ToggleButtons: {
    spec: spec("ToggleButtons"),
    defaults: state(DESCRIBED, SELECTION, { button_style: "", icons: [], tooltips: [] }),
  },
  ToggleButtonsStyle: {
    spec: styleSpec("ToggleButtonsStyle"),
    defaults: state(DESCRIPTION_STYLE, { button_width: "", font_weight: "" }),
  },
  VBox: { spec: spec("VBox"), defaults: state(BOX) },
} satisfies Record<string, ModelDefinition>;

/** A model name Spindle knows. */
export type ModelKind = keyof typeof MODELS;
