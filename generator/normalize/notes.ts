/**
 * What types cannot say, said in the JSDoc: a property's format, length,
 * pattern, range, step, item bounds, default and examples, as lines after its
 * description, so an editor shows them where the field is typed. Every value
 * taken from the schema is put on one line and escaped for a comment
 * (emit/escape.ts); the tags (`@defaultValue`, `@example`) are igluc's own.
 */
import { commentText, lineCommentText } from "../emit/escape.js";


/** Longest value shown (a default or an example); longer ones are cut. */
const MAX_SHOWN = 120;
/** Examples shown at most. */
const MAX_EXAMPLES = 3;

export function constraintNotes(schema: Readonly<Record<string, unknown>>): string[] {
  const notes: string[] = [];
  if (typeof schema.format === "string") notes.push(`Format: ${code(schema.format)}`);
  const length = bounds(schema.minLength, schema.maxLength, "character");
  if (length !== undefined) notes.push(`Length: ${length}`);
  if (typeof schema.pattern === "string") notes.push(`Pattern: ${code(schema.pattern)}`);
  const range = numberRange(schema);
  if (range !== undefined) notes.push(`Range: ${range}`);
  if (typeof schema.multipleOf === "number") notes.push(`Multiple of: ${schema.multipleOf}`);
  const items = bounds(schema.minItems, schema.maxItems, "item");
  if (items !== undefined) notes.push(`Items: ${items}${schema.uniqueItems === true ? ", each different" : ""}`);
  else if (schema.uniqueItems === true) notes.push("Items: each different");
  if (schema.default !== undefined) notes.push(`@defaultValue ${code(json(schema.default))}`);
  if (Array.isArray(schema.examples)) for (const example of schema.examples.slice(0, MAX_EXAMPLES)) notes.push(`@example ${code(json(example))}`);
  return notes;
}

/** The description json-schema-to-typescript gets: the schema's own, then the notes. */
export function describe(description: string | undefined, notes: readonly string[]): string | undefined {
  if (notes.length === 0) return description;
  return description === undefined || description === "" ? notes.join("\n") : `${description}\n\n${notes.join("\n")}`;
}

function bounds(min: unknown, max: unknown, noun: string): string | undefined {
  const low = typeof min === "number" && min > 0 ? min : undefined;
  const high = typeof max === "number" ? max : undefined;
  const plural = (n: number): string => `${noun}${n === 1 ? "" : "s"}`;
  if (low !== undefined && high !== undefined) return low === high ? `exactly ${low} ${plural(low)}` : `${low} to ${high} ${plural(high)}`;
  if (low !== undefined) return `at least ${low} ${plural(low)}`;
  if (high !== undefined) return `at most ${high} ${plural(high)}`;
  return undefined;
}

/** Draft-04 bounds: `exclusiveMinimum`/`exclusiveMaximum` are booleans qualifying `minimum`/`maximum`. */
function numberRange(schema: Readonly<Record<string, unknown>>): string | undefined {
  const min = typeof schema.minimum === "number" ? schema.minimum : undefined;
  const max = typeof schema.maximum === "number" ? schema.maximum : undefined;
  const low = min === undefined ? undefined : schema.exclusiveMinimum === true ? `more than ${min}` : `at least ${min}`;
  const high = max === undefined ? undefined : schema.exclusiveMaximum === true ? `less than ${max}` : `at most ${max}`;
  if (low !== undefined && high !== undefined) {
    return schema.exclusiveMinimum !== true && schema.exclusiveMaximum !== true ? `${min} to ${max}` : `${low}, ${high}`;
  }
  return low ?? high;
}

function json(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

/** One line, escaped for a comment, cut to MAX_SHOWN, in backticks when it holds none. */
function code(value: string): string {
  let text = commentText(lineCommentText(value));
  if (text.length > MAX_SHOWN) text = `${text.slice(0, MAX_SHOWN - 1)}…`;
  return text.includes("`") ? text : `\`${text}\``;
}

