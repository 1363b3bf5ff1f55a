/** Small checks that turn untyped reply content from the executor into the spec's shapes. */
import type { ErrorReplyContent } from "../../protocol";

/** `value` if it is a string, else `fallback`. */
export function str(value: unknown, fallback = ""): string {
  return typeof value === "string" ? value : fallback;
}

/** `value` if it is a finite number, else `fallback`. */
export function num(value: unknown, fallback: number): number {
  return typeof value === "number" && Number.isFinite(value) ? value : fallback;
}

/** `value` if it is a plain object, else `{}`. */
export function obj(value: unknown): Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

/** An error reply from executor content whose status is "error" (missing fields filled in). */
export function errorReply(content: Record<string, unknown>): ErrorReplyContent {
  const traceback = Array.isArray(content.traceback)
    ? content.traceback.filter((t): t is string => typeof t === "string")
    : [];
  return { ...content, status: "error", ename: str(content.ename, "Error"), evalue: str(content.evalue), traceback };
}

/** Checks a request's field is a string; throws a message naming it (turned into an error reply). */
export function requireString(content: Record<string, unknown>, key: string, msgType: string): string {
  const value = content[key];
  if (typeof value !== "string") throw new TypeError(`${msgType}: "${key}" must be a string.`);
  return value;
}

/** Checks a request's field is a number (a cursor position, say). */
export function requireNumber(
  content: Record<string, unknown>,
  key: string,
  msgType: string,
  fallback?: number,
): number {
  const value = content[key] ?? fallback;
  if (typeof value !== "number" || !Number.isFinite(value))
    throw new TypeError(`${msgType}: "${key}" must be a number.`);
  return value;
}
