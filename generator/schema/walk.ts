/**
 * Walking a draft-04 schema: the one table of where subschemas live, and the
 * walkers built on it. Walkers recurse only through these keywords, so a
 * `$ref` or `description` inside `enum`, `default` or any other data is
 * data, never mistaken for schema. Lint's igluctl-compatible traversal
 * (lint/traverse.ts) is a filter over these keywords.
 */
import { escapePointerToken } from "../load/pointer.js";

/**
 * How each draft-04 keyword holds subschemas: one schema, a list of them, a
 * map of them by name, `items` (one schema or a tuple), or `dependencies`
 * (by name, a schema or a list of property names, which is data).
 */
export type SubschemaShape = "schema" | "list" | "map" | "items" | "dependencies";

export const DRAFT_04_SUBSCHEMAS: ReadonlyMap<string, SubschemaShape> = new Map<string, SubschemaShape>([
  ["properties", "map"], ["patternProperties", "map"], ["definitions", "map"],
  ["allOf", "list"], ["anyOf", "list"], ["oneOf", "list"],
  ["not", "schema"], ["additionalItems", "schema"], ["additionalProperties", "schema"],
  ["items", "items"],
  ["dependencies", "dependencies"],
]);

/** Called for each subschema with its JSON pointer and the keyword it sits under. */
export type Visit<R> = (subschema: unknown, pointer: string, keyword: string) => R;

/**
 * Visits the subschemas under one member of a schema (`key: value`) and,
 * with `copy`, returns the member's value with each replaced by what `visit`
 * returned. Where the keyword holds no subschema (or not in that shape: a
 * `not` that is no object, `additionalProperties: false`) the value is data.
 * A non-object `items` is visited, for callers that give it a meaning.
 */
function member(key: string, value: unknown, at: string, visit: Visit<unknown>, copy: boolean): unknown {
  const each = (list: readonly unknown[]): unknown => (copy ? list.map((sub, i) => visit(sub, `${at}/${i}`, key)) : list.forEach((sub, i) => visit(sub, `${at}/${i}`, key)));
  switch (DRAFT_04_SUBSCHEMAS.get(key)) {
    case "schema":
      return isObject(value) ? visit(value, at, key) : value;
    case "list":
      return Array.isArray(value) ? each(value) : value;
    case "items":
      return Array.isArray(value) ? each(value) : visit(value, at, key);
    case "map":
    case "dependencies": {
      if (!isObject(value)) return value;
      const out: Record<string, unknown> = {};
      for (const [name, sub] of Object.entries(value)) {
        // A dependency listing property names is data.
        const visited = Array.isArray(sub) && key === "dependencies" ? sub : visit(sub, `${at}/${escapePointerToken(name)}`, key);
        if (copy) Object.defineProperty(out, name, { value: visited, enumerable: true, writable: true, configurable: true });
      }
      return out;
    }
    default:
      return value;
  }
}

/** A copy of `node` whose subschemas are replaced by `visit(subschema, pointer, keyword)`; other members are copied as they are. */
export function mapSubschemas(node: Readonly<Record<string, unknown>>, pointer: string, visit: Visit<unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) out[key] = member(key, value, `${pointer}/${escapePointerToken(key)}`, visit, true);
  return out;
}

/** Calls `visit` on each direct subschema of `node` (the places mapSubschemas maps), copying nothing. */
export function forEachSubschema(node: Readonly<Record<string, unknown>>, pointer: string, visit: Visit<void>): void {
  for (const [key, value] of Object.entries(node)) member(key, value, `${pointer}/${escapePointerToken(key)}`, visit, false);
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}
