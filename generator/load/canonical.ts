/**
 * Canonical JSON: object keys sorted, no whitespace. Two documents that
 * differ only in formatting or key order have the same canonical text; any
 * other difference shows. Used for the lockfile's content hashes and the
 * version diff's comparisons.
 *
 * Numbers read with exact text ({@link ExactNumber}) keep their exact value:
 * one whose double is exact is written as JSON.stringify writes that double
 * (so hashes made before from parsed values stay the same), any other (a
 * 64-bit bound such as 9223372036854775807, 1e400) as its exact decimal
 * value, digits and exponent, a form no double's shortest text takes.
 */
import { parseJson } from "./json.js";
import { ExactNumber } from "./json-parser.js";

/** `omit`: keys left out of objects at every level (the diff leaves out annotations). */
export function canonicalJson(value: unknown, omit?: ReadonlySet<string>): string {
  if (value === undefined) return "undefined";
  if (value instanceof ExactNumber) return exactNumber(value.text);
  if (Array.isArray(value)) return `[${value.map((v) => canonicalJson(v, omit)).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const keys = Object.keys(value).filter((k) => omit === undefined || !omit.has(k)).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k], omit)}`).join(",")}}`;
  }
  return JSON.stringify(value);
}

/** The canonical form of a JSON text, numbers exact. Throws on text that is not JSON. */
export function canonicalText(text: string, maxDepth?: number): string {
  const parsed = parseJson(text, { exactNumbers: true, ...(maxDepth !== undefined ? { maxDepth } : {}) });
  if (!parsed.ok) throw new SyntaxError(parsed.error.message);
  return canonicalJson(parsed.json.value);
}

function exactNumber(text: string): string {
  const double = Number(text);
  const exact = decimal(text);
  return Number.isFinite(double) && exact === decimal(String(double)) ? JSON.stringify(double) : exact;
}

/** A number's exact decimal value as `[-]digits e exponent`, digits without leading or trailing zeros ("0" for zero). */
function decimal(text: string): string {
  const m = /^(-?)([0-9]+)(?:\.([0-9]+))?(?:[eE]([+-]?[0-9]+))?$/.exec(text);
  if (m === null) return text;
  let digits = `${m[2]}${m[3] ?? ""}`.replace(/^0+/, "");
  if (digits === "") return "0";
  let exponent = Number(m[4] ?? "0") - (m[3]?.length ?? 0);
  const trimmed = digits.replace(/0+$/, "");
  exponent += digits.length - trimmed.length;
  digits = trimmed;
  return `${m[1]}${digits}e${exponent}`;
}
