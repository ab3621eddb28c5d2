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
 */
import { commentText } from "../emit/escape.js";
import { constraintNotes, describe } from "./notes.js";
import { intersectEnum, typeList } from "../schema/json-types.js";
import { isObject, mapSubschemas } from "../schema/walk.js";

const DROPPED = new Set([
  "tsType", "tsEnumNames", "tsEnumValues", "title", "id", "$id", "$schema", "self", "$supersedes", "$supersededBy",
  "definitions", "default", "examples", "$comment",
  // Not draft-04: validators ignore them, so the type must too (json-schema-to-typescript would apply them).
  "const", "nullable", "extends",
]);

/** minProperties variants are emitted up to this many optional properties. */
const MAX_VARIANTS = 4;

export function prepareForTypes(schema: unknown): unknown {
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
  const description = describe(node.description as string | undefined, constraintNotes(schema));
  if (description !== undefined) node.description = description;
  node = intersectEnum(node);
  node = foldPatternProperties(node);
  if (allowsObject(node) && node.properties === undefined && node.additionalProperties === undefined) {
    node.additionalProperties = true;
  }
  node = mapSubschemas(node, "", (sub) => prepareForTypes(sub));
  return atLeastOneOf(node);
}

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
