/**
 * Spindle's error base class. Every error Spindle raises on purpose carries a
 * stable `code` so notebooks, graders and tests can match it without parsing text.
 */
export class SpindleError<Code extends string = string> extends Error {
  /** A stable, machine-readable identifier such as `ERR_SPINDLE_QUEUE_EMPTY`. */
  readonly code: Code;

  /** Creates an error with a readable message (what happened, what to do) and a stable code. */
  constructor(message: string, code: Code, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}

/**
 * The base of an error class with one code and, like Python's exceptions raised
 * without arguments, a default message: `class Empty extends codedError("ERR_…", "…") {}`.
 */
export function codedError<Code extends string>(code: Code, defaultMessage: string) {
  return class extends SpindleError<Code> {
    /** Creates the error; without a message, the default one says what happened and what to do. */
    constructor(message: string = defaultMessage, options?: { cause?: unknown }) {
      super(message, code, options);
    }
  };
}

/** A plain description of an error that survives structured clone and JSON. */
export interface SerializedError {
  name: string;
  message: string;
  stack?: string;
  code?: string;
  /** Own enumerable properties other than the above, when they are cloneable. */
  props?: Record<string, unknown>;
}

/** Turns any thrown value into a `SerializedError` (structured clone drops class, name and code). */
export function serializeError(err: unknown): SerializedError {
  if (err instanceof Error) {
    const props: Record<string, unknown> = {};
    for (const key of Object.keys(err)) {
      if (key === "name" || key === "message" || key === "stack" || key === "code") continue;
      const value = (err as unknown as Record<string, unknown>)[key];
      if (isPlainCloneable(value)) props[key] = value;
    }
    const code = (err as { code?: unknown }).code;
    return {
      name: err.name,
      message: err.message,
      stack: err.stack,
      code: typeof code === "string" ? code : undefined,
      props: Object.keys(props).length > 0 ? props : undefined,
    };
  }
  return { name: "Error", message: describeThrown(err) };
}

/** Text for a thrown value that is not an Error (`throw "oops"`, `throw 42`). */
export function describeThrown(value: unknown): string {
  if (typeof value === "string") return value;
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

function isPlainCloneable(value: unknown): boolean {
  const t = typeof value;
  return (
    value === null ||
    t === "string" ||
    t === "number" ||
    t === "boolean" ||
    t === "undefined" ||
    (t === "object" && (Array.isArray(value) || Object.getPrototypeOf(value) === Object.prototype))
  );
}

/** Any error class: only its prototype is used, so its constructor's parameters do not matter. */
type ErrorClass = abstract new (...args: never) => Error;
const registry = new Map<string, ErrorClass>();

/** Registers an error class so `deserializeError` can rebuild it by name after crossing a boundary. */
export function registerErrorClass(name: string, cls: ErrorClass): void {
  registry.set(name, cls);
}

/** Rebuilds an error from `serializeError` output: same class (when registered), message, stack, code and props. */
export function deserializeError(data: SerializedError): Error {
  const cls = registry.get(data.name) ?? builtinErrors[data.name];
  let err: Error;
  if (cls) {
    err = Object.create(cls.prototype) as Error;
    Object.defineProperty(err, "message", {
      value: data.message,
      writable: true,
      configurable: true,
      enumerable: false,
    });
  } else {
    err = new Error(data.message);
  }
  Object.defineProperty(err, "name", { value: data.name, writable: true, configurable: true, enumerable: false });
  if (data.stack !== undefined) {
    Object.defineProperty(err, "stack", { value: data.stack, writable: true, configurable: true, enumerable: false });
  }
  if (data.code !== undefined) (err as unknown as { code: string }).code = data.code;
  if (data.props) Object.assign(err, data.props);
  return err;
}

const builtinErrors: Record<string, ErrorClass> = {
  Error,
  TypeError,
  RangeError,
  SyntaxError,
  ReferenceError,
  EvalError,
  URIError,
};
