/**
 * A resolved schema → the schema json-schema-to-typescript is given.
 *
 * Safety: keywords that json-schema-to-typescript would copy into code as they
 * are (`tsType`, `tsEnumNames`), use to name types (`title`, `id`) or read
 * subschemas from that are never walked here (`extends`, draft-03) are
 * dropped; `default` and `examples` are dropped as keywords and said, escaped,
 * in the description, with the constraints types cannot express (notes.ts);
 * descriptions pass through the escaping module.
 *
 * Fidelity: the type describes exactly what the schema validates.
 * - `enum` and `type` together: only values of an allowed type, and `null`
 *   only when both allow it (the intersection, as a validator sees it).
 * - An object with no properties and nothing said about others accepts any
 *   members: an index signature, not `{}` (which would accept a string).
 * - `additionalProperties` absent: the object is exact, so a typo is a
 *   compile error (the schema would let it through, the pipeline would keep
 *   a misspelt field nobody reads); `true`: an index signature of unknown.
 * - `patternProperties`: folded into the index signature's type.
 * - `minProperties: 1` over a few optional properties: one variant per
 *   property, each requiring it, so `{}` does not compile.
 *
 * Readability: an object that is the item of an array property gets a type of
 * its own, named after its owner and the property in the singular
 * (`Order.items[]` → `OrderItem`), rather than being written out inline
 * (twice, when `minItems` makes the array a tuple). Only a property named
 * like an identifier gives a name (of letters and digits only, never one
 * already taken: itemNames); any other key stays data.
 */
import { commentText } from "../emit/escape.js";
import { constraintNotes, describe } from "./notes.js";
import { intersectEnum, typeList } from "../schema/json-types.js";
import { isObject, mapSubschemas } from "../schema/walk.js";
import { unescapePointerToken } from "../load/pointer.js";
import { pascalCase } from "../emit/escape.js";

/** Names the types of array items: `owner` is the type the current place belongs to. */
export interface ItemNames {
  readonly owner: string;
  /** A new name, not taken, for the item type of `owner`'s array property `property`; undefined (the item stays inline) when none is free. */
  name(owner: string, property: string): string | undefined;
}

/**
 * Item type names for a data type named `typeName`: never one in `taken`, and
 * never starting with one of `reserved` (the other schemas' type names that
 * begin with `typeName`, whose own item names begin with them), so that no
 * two modules of a run declare the same name, even in one file.
 */
export function itemNames(typeName: string, taken: Iterable<string>, reserved: readonly string[] = []): ItemNames {
  const used = new Set([typeName, ...taken]);
  const free = (name: string): boolean => !used.has(name) && !reserved.some((r) => name.startsWith(r));
  return {
    owner: typeName,
    name(owner, property) {
      const words = pascalCase(property);
      const single = singular(words);
      // `_` is never part of a schema's base name, so `Owner_Item` is the owner's alone.
      const candidates = [single === words ? `${owner}${words}Item` : `${owner}${single}`, `${owner}${words}Item`, `${owner}_${single}`];
      let chosen = candidates.find(free);
      for (let n = 2; chosen === undefined && n < MAX_NUMBERED; n++) if (free(`${owner}_${single}${n}`)) chosen = `${owner}_${single}${n}`;
      if (chosen !== undefined) used.add(chosen);
      return chosen;
    },
  };
}

/** Numbered candidates tried at most (`Owner_Item2` …) before an item stays inline. */
const MAX_NUMBERED = 1_000;

/** The English singular of a PascalCase plural's last word, or the text itself: `LineItems` → `LineItem`, `Categories` → `Category`. */
function singular(text: string): string {
  if (/[^aeiou]ies$/.test(text)) return `${text.slice(0, -3)}y`;
  if (/(?:ss|sh|ch|x|z)es$/.test(text)) return text.slice(0, -2);
  if (/[^su]s$/.test(text) && !/(?:is|us|ss)$/.test(text)) return text.slice(0, -1);
  return text;
}

const DROPPED = new Set([
  "tsType", "tsEnumNames", "tsEnumValues", "title", "id", "$id", "$schema", "self", "$supersedes", "$supersededBy",
  "definitions", "default", "examples", "$comment",
  // Not draft-04: validators ignore them, so the type must too (json-schema-to-typescript would apply them).
  "const", "nullable", "extends",
]);

/** Arrays with a larger minItems are typed as plain arrays, not as tuples of that many items. */
const MAX_TUPLE_ITEMS = 20;

/** minProperties variants are emitted up to this many optional properties. */
const MAX_VARIANTS = 4;

export function prepareForTypes(schema: unknown, names?: ItemNames, property?: string): unknown {
  if (!isObject(schema)) return schema === false ? { not: {} } : {};
  let node: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(schema)) {
    if (DROPPED.has(key)) continue;
    if (key === "deprecated" && typeof value !== "boolean") continue;
    if (key === "description") {
      if (typeof value === "string" && commentText(value) !== "") node.description = commentText(value);
      continue;
    }
    node[key] = value;
  }
  // json-schema-to-typescript writes an array of minItems n as a tuple of n items: a 400-byte schema with
  // minItems 10,000,000 made an 80 MB module and took a gigabyte. Past a few, the bound is said in the JSDoc only.
  if (typeof node.minItems === "number" && node.minItems > MAX_TUPLE_ITEMS) delete node.minItems;
  const description = describe(node.description as string | undefined, constraintNotes(schema));
  if (description !== undefined) node.description = description;
  node = intersectEnum(node);
  node = foldPatternProperties(node);
  if (allowsObject(node) && node.properties === undefined && node.additionalProperties === undefined) {
    node.additionalProperties = true;
  }
  node = mapSubschemas(node, "", (sub, pointer, keyword) => {
    if (keyword === "properties") return prepareForTypes(sub, names, unescapePointerToken(pointer.slice("/properties/".length)));
    if (keyword === "items" && pointer === "/items" && names !== undefined && property !== undefined && PLAIN.test(property) && isNamedShape(sub)) {
      const title = names.name(names.owner, property);
      if (title !== undefined) return { title, ...(prepareForTypes(sub, { ...names, owner: title }) as Record<string, unknown>) };
    }
    return prepareForTypes(sub, names);
  });
  return atLeastOneOf(node);
}

/**
 * The prepared root of a superseded schema: marked `deprecated`, which
 * json-schema-to-typescript writes as the tag, with `note` (why, and what
 * to use instead) first in its description, so it reads as the tag's text.
 */
export function markDeprecated(prepared: unknown, note: string): unknown {
  if (!isObject(prepared)) return prepared;
  const own = typeof prepared.description === "string" ? `\n\n${prepared.description}` : "";
  return { ...prepared, deprecated: true, description: `${commentText(note)}${own}` };
}

/** Only a property named like an identifier (`line_items`, `lineItems`) names a type: any other key stays data, in a string literal. */
const PLAIN = /^[A-Za-z][A-Za-z0-9_]{0,63}$/;

/**
 * An object with properties of its own, and nothing else: the shape worth a
 * name. With a combinator (`oneOf`, `anyOf`, `allOf`, `not`) beside them,
 * json-schema-to-typescript hoists the titled part above the schema's own
 * type, so such items stay inline.
 */
function isNamedShape(node: unknown): boolean {
  if (!isObject(node) || !isObject(node.properties) || Object.keys(node.properties).length === 0) return false;
  if (COMBINATORS.some((key) => key in node)) return false;
  const types = typeList(node);
  return types === undefined || (types.length === 1 && types[0] === "object");
}

const COMBINATORS = ["oneOf", "anyOf", "allOf", "not"];

function allowsObject(node: Readonly<Record<string, unknown>>): boolean {
  return typeList(node)?.includes("object") === true;
}

function foldPatternProperties(node: Record<string, unknown>): Record<string, unknown> {
  if (!isObject(node.patternProperties)) return node;
  const { patternProperties, ...rest } = node;
  const shapes = Object.values(patternProperties as Record<string, unknown>);
  const extra = rest.additionalProperties;
  if (extra === true || (extra === undefined && !isObject(rest.properties))) return { ...rest, additionalProperties: true };
  if (isObject(extra)) shapes.push(extra);
  if (extra === undefined) return { ...rest, additionalProperties: true };
  return { ...rest, additionalProperties: shapes.length === 1 ? shapes[0] : { anyOf: shapes } };
}

function atLeastOneOf(node: Record<string, unknown>): Record<string, unknown> {
  if (node.minProperties !== 1 || node.additionalProperties !== false || !isObject(node.properties)) return node;
  if (Array.isArray(node.required) && node.required.length > 0) return node;
  const names = Object.keys(node.properties);
  if (names.length < 2 || names.length > MAX_VARIANTS) return node;
  const { minProperties: _min, description, ...base } = node;
  return {
    ...(description !== undefined ? { description } : {}),
    anyOf: names.map((name) => ({ ...base, required: [name] })),
  };
}
