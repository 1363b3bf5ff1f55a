/**
 * The widget models Spindle speaks, as ipywidgets 8.1.9 defines them: model and
 * view names, modules and versions, and the state of a fresh instance (its
 * `get_state()`; `layout` and `style` are filled in by the constructors).
 * Generated from ipywidgets itself, so the wire state matches what
 * @jupyter-widgets/controls 2.0.0, base 2.0.0 and output 1.0.0 expect.
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

/** Every model, by ipywidgets class name. */
export const MODELS = {
  Button: {
    spec: {
      _model_name: "ButtonModel", _model_module: "@jupyter-widgets/controls", _model_module_version: "2.0.0",
      _view_name: "ButtonView", _view_module: "@jupyter-widgets/controls", _view_module_version: "2.0.0",
    },
    defaults: {
      _dom_classes: [], _view_count: null, button_style: "", description: "", disabled: false, icon: "",
      layout: null, style: null, tabbable: null, tooltip: null,
    },
  },
  ButtonStyle: {
    spec: {
      _model_name: "ButtonStyleModel", _model_module: "@jupyter-widgets/controls", _model_module_version: "2.0.0",
      _view_name: "StyleView", _view_module: "@jupyter-widgets/base", _view_module_version: "2.0.0",
    },
    defaults: {
      _view_count: null, button_color: null, font_family: null, font_size: null, font_style: null,
      font_variant: null, font_weight: null, text_color: null, text_decoration: null,
    },
  },
  Checkbox: {
    spec: {
      _model_name: "CheckboxModel", _model_module: "@jupyter-widgets/controls", _model_module_version: "2.0.0",
      _view_name: "CheckboxView", _view_module: "@jupyter-widgets/controls", _view_module_version: "2.0.0",
    },
    defaults: {
      _dom_classes: [], _view_count: null, description: "", description_allow_html: false, disabled: false,
      indent: true, layout: null, style: null, tabbable: null, tooltip: null, value: false,
    },
  },
  CheckboxStyle: {
    spec: {
      _model_name: "CheckboxStyleModel", _model_module: "@jupyter-widgets/controls", _model_module_version: "2.0.0",
      _view_name: "StyleView", _view_module: "@jupyter-widgets/base", _view_module_version: "2.0.0",
    },
    defaults: {
      _view_count: null, background: null, description_width: "",
    },
  },
  DescriptionStyle: {
    spec: {
      _model_name: "DescriptionStyleModel", _model_module: "@jupyter-widgets/controls",
      _model_module_version: "2.0.0", _view_name: "StyleView", _view_module: "@jupyter-widgets/base",
      _view_module_version: "2.0.0",
    },
    defaults: {
      _view_count: null, description_width: "",
    },
  },
  Dropdown: {
    spec: {
      _model_name: "DropdownModel", _model_module: "@jupyter-widgets/controls", _model_module_version: "2.0.0",
      _view_name: "DropdownView", _view_module: "@jupyter-widgets/controls", _view_module_version: "2.0.0",
    },
    defaults: {
      _dom_classes: [], _options_labels: [], _view_count: null, description: "", description_allow_html: false,
      disabled: false, index: null, layout: null, style: null, tabbable: null, tooltip: null,
    },
  },
  FloatSlider: {
    spec: {
      _model_name: "FloatSliderModel", _model_module: "@jupyter-widgets/controls", _model_module_version: "2.0.0",
      _view_name: "FloatSliderView", _view_module: "@jupyter-widgets/controls", _view_module_version: "2.0.0",
    },
    defaults: {
      _dom_classes: [], _view_count: null, behavior: "drag-tap", continuous_update: true, description: "",
      description_allow_html: false, disabled: false, layout: null, max: 100.0, min: 0.0, orientation: "horizontal",
      readout: true, readout_format: ".2f", step: 0.1, style: null, tabbable: null, tooltip: null, value: 0.0,
    },
  },
  HBox: {
    spec: {
      _model_name: "HBoxModel", _model_module: "@jupyter-widgets/controls", _model_module_version: "2.0.0",
      _view_name: "HBoxView", _view_module: "@jupyter-widgets/controls", _view_module_version: "2.0.0",
    },
    defaults: {
      _dom_classes: [], _view_count: null, box_style: "", children: [], layout: null, tabbable: null, tooltip: null,
    },
  },
  HTML: {
    spec: {
      _model_name: "HTMLModel", _model_module: "@jupyter-widgets/controls", _model_module_version: "2.0.0",
      _view_name: "HTMLView", _view_module: "@jupyter-widgets/controls", _view_module_version: "2.0.0",
    },
    defaults: {
      _dom_classes: [], _view_count: null, description: "", description_allow_html: false, layout: null,
      placeholder: "\u200b", style: null, tabbable: null, tooltip: null, value: "",
    },
  },
  HTMLStyle: {
    spec: {
      _model_name: "HTMLStyleModel", _model_module: "@jupyter-widgets/controls", _model_module_version: "2.0.0",
      _view_name: "StyleView", _view_module: "@jupyter-widgets/base", _view_module_version: "2.0.0",
    },
    defaults: {
      _view_count: null, background: null, description_width: "", font_size: null, text_color: null,
    },
  },
  IntProgress: {
    spec: {
      _model_name: "IntProgressModel", _model_module: "@jupyter-widgets/controls", _model_module_version: "2.0.0",
      _view_name: "ProgressView", _view_module: "@jupyter-widgets/controls", _view_module_version: "2.0.0",
    },
    defaults: {
      _dom_classes: [], _view_count: null, bar_style: "", description: "", description_allow_html: false,
      layout: null, max: 100, min: 0, orientation: "horizontal", style: null, tabbable: null, tooltip: null,
      value: 0,
    },
  },
  IntRangeSlider: {
    spec: {
      _model_name: "IntRangeSliderModel", _model_module: "@jupyter-widgets/controls", _model_module_version: "2.0.0",
      _view_name: "IntRangeSliderView", _view_module: "@jupyter-widgets/controls", _view_module_version: "2.0.0",
    },
    defaults: {
      _dom_classes: [], _view_count: null, behavior: "drag-tap", continuous_update: true, description: "",
      description_allow_html: false, disabled: false, layout: null, max: 100, min: 0, orientation: "horizontal",
      readout: true, readout_format: "d", step: 1, style: null, tabbable: null, tooltip: null, value: [25, 75],
    },
  },
  IntSlider: {
    spec: {
      _model_name: "IntSliderModel", _model_module: "@jupyter-widgets/controls", _model_module_version: "2.0.0",
      _view_name: "IntSliderView", _view_module: "@jupyter-widgets/controls", _view_module_version: "2.0.0",
    },
    defaults: {
      _dom_classes: [], _view_count: null, behavior: "drag-tap", continuous_update: true, description: "",
      description_allow_html: false, disabled: false, layout: null, max: 100, min: 0, orientation: "horizontal",
      readout: true, readout_format: "d", step: 1, style: null, tabbable: null, tooltip: null, value: 0,
    },
  },
  Label: {
    spec: {
      _model_name: "LabelModel", _model_module: "@jupyter-widgets/controls", _model_module_version: "2.0.0",
      _view_name: "LabelView", _view_module: "@jupyter-widgets/controls", _view_module_version: "2.0.0",
    },
    defaults: {
      _dom_classes: [], _view_count: null, description: "", description_allow_html: false, layout: null,
      placeholder: "\u200b", style: null, tabbable: null, tooltip: null, value: "",
    },
  },
  LabelStyle: {
    spec: {
      _model_name: "LabelStyleModel", _model_module: "@jupyter-widgets/controls", _model_module_version: "2.0.0",
      _view_name: "StyleView", _view_module: "@jupyter-widgets/base", _view_module_version: "2.0.0",
    },
    defaults: {
      _view_count: null, background: null, description_width: "", font_family: null, font_size: null,
      font_style: null, font_variant: null, font_weight: null, text_color: null, text_decoration: null,
    },
  },
  Layout: {
    spec: {
      _model_name: "LayoutModel", _model_module: "@jupyter-widgets/base", _model_module_version: "2.0.0",
      _view_name: "LayoutView", _view_module: "@jupyter-widgets/base", _view_module_version: "2.0.0",
    },
    defaults: {
      _view_count: null, align_content: null, align_items: null, align_self: null, border_bottom: null,
      border_left: null, border_right: null, border_top: null, bottom: null, display: null, flex: null,
      flex_flow: null, grid_area: null, grid_auto_columns: null, grid_auto_flow: null, grid_auto_rows: null,
      grid_column: null, grid_gap: null, grid_row: null, grid_template_areas: null, grid_template_columns: null,
      grid_template_rows: null, height: null, justify_content: null, justify_items: null, left: null, margin: null,
      max_height: null, max_width: null, min_height: null, min_width: null, object_fit: null, object_position: null,
      order: null, overflow: null, padding: null, right: null, top: null, visibility: null, width: null,
    },
  },
  Output: {
    spec: {
      _model_name: "OutputModel", _model_module: "@jupyter-widgets/output", _model_module_version: "1.0.0",
      _view_name: "OutputView", _view_module: "@jupyter-widgets/output", _view_module_version: "1.0.0",
    },
    defaults: {
      _dom_classes: [], _view_count: null, layout: null, msg_id: "", outputs: [], tabbable: null, tooltip: null,
    },
  },
  Play: {
    spec: {
      _model_name: "PlayModel", _model_module: "@jupyter-widgets/controls", _model_module_version: "2.0.0",
      _view_name: "PlayView", _view_module: "@jupyter-widgets/controls", _view_module_version: "2.0.0",
    },
    defaults: {
      _dom_classes: [], _view_count: null, description: "", description_allow_html: false, disabled: false,
      interval: 100, layout: null, max: 100, min: 0, playing: false, repeat: false, show_repeat: true, step: 1,
      style: null, tabbable: null, tooltip: null, value: 0,
    },
  },
  ProgressStyle: {
    spec: {
      _model_name: "ProgressStyleModel", _model_module: "@jupyter-widgets/controls", _model_module_version: "2.0.0",
      _view_name: "StyleView", _view_module: "@jupyter-widgets/base", _view_module_version: "2.0.0",
    },
    defaults: {
      _view_count: null, bar_color: null, description_width: "",
    },
  },
  SliderStyle: {
    spec: {
      _model_name: "SliderStyleModel", _model_module: "@jupyter-widgets/controls", _model_module_version: "2.0.0",
      _view_name: "StyleView", _view_module: "@jupyter-widgets/base", _view_module_version: "2.0.0",
    },
    defaults: {
      _view_count: null, description_width: "", handle_color: null,
    },
  },
  Text: {
    spec: {
      _model_name: "TextModel", _model_module: "@jupyter-widgets/controls", _model_module_version: "2.0.0",
      _view_name: "TextView", _view_module: "@jupyter-widgets/controls", _view_module_version: "2.0.0",
    },
    defaults: {
      _dom_classes: [], _view_count: null, continuous_update: true, description: "", description_allow_html: false,
      disabled: false, layout: null, placeholder: "\u200b", style: null, tabbable: null, tooltip: null, value: "",
    },
  },
  TextStyle: {
    spec: {
      _model_name: "TextStyleModel", _model_module: "@jupyter-widgets/controls", _model_module_version: "2.0.0",
      _view_name: "StyleView", _view_module: "@jupyter-widgets/base", _view_module_version: "2.0.0",
    },
    defaults: {
      _view_count: null, background: null, description_width: "", font_size: null, text_color: null,
    },
  },
  ToggleButtons: {
    spec: {
      _model_name: "ToggleButtonsModel", _model_module: "@jupyter-widgets/controls", _model_module_version: "2.0.0",
      _view_name: "ToggleButtonsView", _view_module: "@jupyter-widgets/controls", _view_module_version: "2.0.0",
    },
    defaults: {
      _dom_classes: [], _options_labels: [], _view_count: null, button_style: "", description: "",
      description_allow_html: false, disabled: false, icons: [], index: null, layout: null, style: null,
      tabbable: null, tooltip: null, tooltips: [],
    },
  },
  ToggleButtonsStyle: {
    spec: {
      _model_name: "ToggleButtonsStyleModel", _model_module: "@jupyter-widgets/controls",
      _model_module_version: "2.0.0", _view_name: "StyleView", _view_module: "@jupyter-widgets/base",
      _view_module_version: "2.0.0",
    },
    defaults: {
      _view_count: null, button_width: "", description_width: "", font_weight: "",
    },
  },
  VBox: {
    spec: {
      _model_name: "VBoxModel", _model_module: "@jupyter-widgets/controls", _model_module_version: "2.0.0",
      _view_name: "VBoxView", _view_module: "@jupyter-widgets/controls", _view_module_version: "2.0.0",
    },
    defaults: {
      _dom_classes: [], _view_count: null, box_style: "", children: [], layout: null, tabbable: null, tooltip: null,
    },
  },
} satisfies Record<string, ModelDefinition>;

/** A model name Spindle knows. */
export type ModelKind = keyof typeof MODELS;
