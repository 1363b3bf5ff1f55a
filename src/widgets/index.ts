/**
 * `spindle/widgets`: Jupyter widgets (ipywidgets 8's protocol and models) for
 * Spindle cells — sliders, drop-downs, buttons, text, progress bars, boxes and
 * Output areas, kept in step with JupyterLab over comms; `observe`, `link` and
 * `interact` to rerun code when a control moves.
 */
import { registerControlTarget } from "./control-comm";

export {
  Widget,
  Layout,
  Style,
  WIDGET_VIEW_MIME,
  WIDGET_PROTOCOL_VERSION,
  type Change,
  type Observer,
  type LayoutOptions,
} from "./widget";
export {
  IntSlider,
  FloatSlider,
  IntRangeSlider,
  IntProgress,
  Play,
  Checkbox,
  Text,
  Label,
  HTML,
  Button,
  HBox,
  VBox,
  type BoxOptions,
  type DescriptionOptions,
  type DOMWidgetOptions,
  type SliderOptions,
} from "./controls";
export { Dropdown, ToggleButtons, type SelectionOptions, type SelectionWidgetOptions } from "./selection";
export { Output, type CaptureOptions, type OutputRecord } from "./output";
export { link, dlink, type Endpoint, type Link } from "./link";
export { interact, Interactive, widgetFor, type Abbreviation, type InteractOptions, type ValueOf } from "./interact";
export { WidgetError } from "./errors";

registerControlTarget();
