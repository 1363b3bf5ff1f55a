/** Display handles: a display that can be replaced in place later (update_display_data). */
import { currentCell, type CellContext, type MimeBundle } from "../runtime/cell-context";
import { mimeBundleOf } from "./mime";
import { emit } from "./output";

/** Per-call options of `handle.display` / `handle.update`. */
export interface HandleShowOptions {
  /** Treat the object as a ready mime bundle instead of a value to render. */
  raw?: boolean;
  /** Per-mime metadata. */
  metadata?: Record<string, unknown>;
}

/** A display that can be updated in place: `handle.update(newValue)`. */
export class DisplayHandle {
  readonly #cell: CellContext | undefined;

  /** Creates a handle for display id `id`, owned by `cell` (the cell that created it by default). */
  constructor(
    readonly id: string,
    cell: CellContext | undefined = currentCell(),
  ) {
    this.#cell = cell;
  }

  /** Shows `obj` as a new output carrying this handle's display id. */
  display(obj: unknown, options: HandleShowOptions = {}): void {
    emit(toBundle(obj, options.raw), { displayId: this.id, metadata: options.metadata, cell: this.#target() });
  }

  /** Replaces every output with this handle's display id by `obj` (update_display_data). */
  update(obj: unknown, options: HandleShowOptions = {}): void {
    emit(toBundle(obj, options.raw), {
      displayId: this.id,
      update: true,
      metadata: options.metadata,
      cell: this.#target(),
    });
  }

  // An update from a later cell goes out under that cell; the frontend finds the output by its id.
  #target(): CellContext | undefined {
    return currentCell() ?? this.#cell;
  }
}

/** The bundle of `obj`: itself when `raw`, its rich representation otherwise. */
export function toBundle(obj: unknown, raw = false): MimeBundle {
  if (raw && typeof obj === "object" && obj !== null) {
    const bundle = { ...(obj as MimeBundle) };
    if (typeof bundle["text/plain"] !== "string") bundle["text/plain"] = "[rich output]";
    return bundle;
  }
  return mimeBundleOf(obj);
}
