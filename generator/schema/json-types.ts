/**
 * Which JSON values a schema's `type` and `enum` accept, as generate and
 * lint both read them: the type list, the JSON type of a value, and the rule
 * README states for `enum` beside `type` (the intersection, as a validator
 * sees it: a value is accepted when the type admits it, `integer` being a
 * `number` too, so `null` stays only when both allow it).
 */

type Node = Readonly<Record<string, unknown>>;

/** The `type` keyword as a list of names, in the order written; undefined when absent or not a list of strings. */
export function typeList(node: Node): readonly string[] | undefined {
  const t = node.type;
  if (typeof t === "string") return [t];
  if (Array.isArray(t) && t.every((x) => typeof x === "string")) return t as string[];
  return undefined;
}

/** The JSON Schema type of a JSON value: `integer` for whole numbers. */
export function jsonType(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  if (typeof value === "number") return Number.isInteger(value) ? "integer" : "number";
  return typeof value;
}

/** Does a type list admit values of JSON type `t`? An integer is a number. */
function admits(types: readonly string[], t: string): boolean {
  return types.includes(t) || (t === "integer" && types.includes("number"));
}

/**
 * A schema with both `enum` and `type` narrowed to what a validator
 * accepts: the enum values the type admits, and the types some remaining
 * value has (one name alone when only one is left). Unchanged without both.
 */
export function intersectEnum<T extends Node>(node: T): T {
  const declared = typeList(node);
  if (!Array.isArray(node.enum) || declared === undefined) return node;
  const values = node.enum.filter((v) => admits(declared, jsonType(v)));
  const valueTypes = values.map(jsonType);
  const type = declared.filter((t) => valueTypes.some((v) => v === t || (t === "number" && v === "integer")));
  return { ...node, enum: values, type: type.length === 1 ? type[0] : type };
}

/**
 * The JSON types of the values a schema accepts, sorted and distinct: with
 * an `enum`, the types of its values the `type` admits (so an enum of
 * strings accepts strings, typed or not); without, the `type`. Undefined:
 * any type.
 */
export function acceptedTypes(node: Node): string[] | undefined {
  const declared = typeList(node);
  if (!Array.isArray(node.enum)) return declared === undefined ? undefined : [...new Set(declared)].sort();
  const types = new Set(node.enum.map(jsonType));
  return [...types].filter((t) => declared === undefined || admits(declared, t)).sort();
}
