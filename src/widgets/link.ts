/** Keeping two widget properties equal in the kernel (ipywidgets' `link` and `dlink`). */
import { WidgetError } from "./errors";
import { sameValue } from "./names";
import type { Widget } from "./widget";

/** A widget and one of its camelCase property names, e.g. `[slider, "value"]`. */
export type Endpoint = readonly [Widget, string];

/** A running link; `unlink()` stops it. */
export interface Link {
  unlink(): void;
}

function read([widget, name]: Endpoint): unknown {
  if (!(name in widget)) throw new WidgetError(`${widget.kind} has no property "${name}" to link.`);
  return (widget as unknown as Record<string, unknown>)[name];
}

function write([widget, name]: Endpoint, value: unknown): void {
  if (!sameValue(read([widget, name]), value)) widget.set({ [name]: value });
}

/** Keeps `target` equal to `source` in both directions; `target` takes `source`'s value now. */
export function link(source: Endpoint, target: Endpoint): Link {
  let busy = false;
  const copy = (from: Endpoint, to: Endpoint) => () => {
    if (busy) return;
    busy = true;
    try {
      write(to, read(from));
    } finally {
      busy = false;
    }
  };
  copy(source, target)();
  const stops = [
    source[0].observe(copy(source, target), source[1]),
    target[0].observe(copy(target, source), target[1]),
  ];
  return {
    unlink: () => {
      for (const stop of stops) stop();
    },
  };
}

/** Sets `target` from `source` whenever `source` changes (through `transform` when given). */
export function dlink(source: Endpoint, target: Endpoint, transform: (value: unknown) => unknown = (v) => v): Link {
  const copy = (): void => write(target, transform(read(source)));
  copy();
  const stop = source[0].observe(copy, source[1]);
  return { unlink: stop };
}
