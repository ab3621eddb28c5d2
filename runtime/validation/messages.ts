/**
 * One validation message format for every place igluc checks data against
 * an Iglu schema: `igluc micro` (ajv at run time in the collector) and the
 * validators `igluc generate` compiles ahead of time (ajv standalone code,
 * whose errors have the same shape). A developer reads:
 *
 *   iglu:com.acme/signup/jsonschema/1-0-0 /email: must match format "email" (got "not-an-email")
 *
 * Pure, and dependent on nothing (no ajv import): the runtime can ship it.
 * Everything shown that the data or the schema controls (the URI, the JSON
 * pointer, the value, property names) is escaped, so a message is one line
 * that cannot act on a terminal, and the value is shortened.
 */

/** The fields of an ajv `ErrorObject` a message needs (ajv's standalone validators report the same). */
export interface SchemaError {
  /** JSON pointer to the failing value, `""` for the whole document. */
  readonly instancePath: string;
  readonly keyword: string;
  readonly message?: string | undefined;
  readonly params?: Readonly<Record<string, unknown>> | undefined;
  /** The failing value (ajv gives it with `verbose: true`). */
  readonly data?: unknown;
}

/** Longest value shown after `got`, in characters (the rest is elided, with the length said). */
export const MAX_SHOWN_VALUE = 60;

/** Characters that act on a terminal or on how a line reads: C0/C1 controls, DEL, line separators, bidirectional controls. */
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
const SHORT: Readonly<Record<string, string>> = { "\n": "\\n", "\r": "\\r", "\t": "\\t" };

/** `text` with every unprintable character written as an escape (`\n`, `\u001b`): safe on one terminal line. */
export function escapeText(text: string): string {
  return text.replace(UNPRINTABLE, (c) => SHORT[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

/** `text` cut to `max` characters, never inside a surrogate pair, with `…` when cut. */
function cut(text: string, max: number): string {
  if (text.length <= max) return text;
  let end = max - 1;
  const code = text.charCodeAt(end - 1);
  if (code >= 0xd800 && code <= 0xdbff) end--;
  return `${text.slice(0, end)}…`;
}

/** A value as a message shows it: a string quoted (and shortened, its length said), a number as is, an object or array by its kind. */
export function showValue(value: unknown): string {
  if (value === undefined) return "undefined";
  if (value === null) return "null";
  switch (typeof value) {
    case "string": {
      const quoted = escapeText(JSON.stringify(cut(value, MAX_SHOWN_VALUE - 2)));
      return value.length + 2 > MAX_SHOWN_VALUE ? `${quoted} (${value.length} characters)` : quoted;
    }
    case "number": case "boolean": return String(value);
    default: break;
  }
  if (Array.isArray(value)) return `an array of ${value.length}`;
  if (typeof value === "object") return "an object";
  return typeof value;
}

/** A keyword's parameter (a format's name, a property name, a pattern), quoted, escaped and shortened. */
const quote = (value: unknown, max = MAX_SHOWN_VALUE): string => escapeText(JSON.stringify(cut(String(value), max)));

/** What the value must be, in words, from the keyword and its parameters (ajv's own wording, property names quoted). */
function requirement(error: SchemaError): string {
  const p = error.params ?? {};
  switch (error.keyword) {
    case "format": return `must match format ${quote(p.format)}`;
    case "required": return `must have required property ${quote(p.missingProperty)}`;
    case "additionalProperties": return `must NOT have additional property ${quote(p.additionalProperty)}`;
    case "type": return `must be ${escapeText(String(p.type))}`;
    case "enum": return Array.isArray(p.allowedValues)
      ? `must be one of ${p.allowedValues.slice(0, 8).map((v) => escapeText(cut(JSON.stringify(v) ?? String(v), 30))).join(", ")}${p.allowedValues.length > 8 ? ", …" : ""}`
      : "must be equal to one of the allowed values";
    case "pattern": return `must match pattern ${quote(p.pattern, 160)}`;
    default: return escapeText(cut(error.message ?? `must pass "${error.keyword}"`, 200));
  }
}

/** Keywords about an object's members, whose value (the whole object) says nothing more. */
const ABOUT_MEMBERS = new Set(["required", "additionalProperties", "dependencies", "minProperties", "maxProperties", "propertyNames"]);

/**
 * `iglu:… /pointer: requirement (got value)`: the URI, where in the data
 * (`/` for the whole), what it must be, and what it was.
 */
export function formatSchemaError(uri: string, error: SchemaError): string {
  const where = error.instancePath === "" ? "/" : escapeText(cut(error.instancePath, 200));
  const got = "data" in error && error.data !== undefined && !ABOUT_MEMBERS.has(error.keyword) ? ` (got ${showValue(error.data)})` : "";
  return `${escapeText(cut(uri, 200))} ${where}: ${requirement(error)}${got}`;
}
