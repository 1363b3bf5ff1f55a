/**
 * Python's float spelling and parsing, because nbgrader's checksums hash
 * `str(float(points))` and its scores come from `float(text/plain)`.
 */

/** `str(float(x))` exactly as CPython 3 prints it: "2.0", "0.5", "1e-05", "1e+16", "inf", "nan". */
export function pythonFloatStr(x: number): string {
  if (Number.isNaN(x)) return "nan";
  if (x === Infinity) return "inf";
  if (x === -Infinity) return "-inf";
  if (x === 0) return Object.is(x, -0) ? "-0.0" : "0.0";
  const sign = x < 0 ? "-" : "";
  // toExponential() with no argument gives the shortest digits that round-trip, as Python's repr does.
  const [mantissa = "", exp] = Math.abs(x).toExponential().split("e");
  const digits = mantissa.replace(".", "");
  const decpt = Number(exp) + 1; // value = 0.DIGITS × 10^decpt
  if (decpt <= -4 || decpt > 16) {
    const e = decpt - 1;
    const body = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    return `${sign}${body}e${e < 0 ? "-" : "+"}${String(Math.abs(e)).padStart(2, "0")}`;
  }
  if (decpt <= 0) return `${sign}0.${"0".repeat(-decpt)}${digits}`;
  if (decpt >= digits.length) return `${sign}${digits}${"0".repeat(decpt - digits.length)}.0`;
  return `${sign}${digits.slice(0, decpt)}.${digits.slice(decpt)}`;
}

const FLOAT_RE = /^[+-]?(?:(?:\d(?:_?\d)*)?\.\d(?:_?\d)*|\d(?:_?\d)*\.?)(?:[eE][+-]?\d(?:_?\d)*)?$/;
const SPECIAL_RE = /^[+-]?(?:inf|infinity|nan)$/i;

/** Python's `float(text)`: surrounding whitespace allowed, `1_000`, `inf`, `nan`; undefined when Python would raise. */
export function parsePythonFloat(text: string): number | undefined {
  const s = text.trim();
  if (SPECIAL_RE.test(s)) {
    const negative = s.startsWith("-");
    if (/nan/i.test(s)) return NaN;
    return negative ? -Infinity : Infinity;
  }
  if (!FLOAT_RE.test(s)) return undefined;
  return Number(s.replace(/_/g, ""));
}
