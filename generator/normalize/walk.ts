/**
 * Where subschemas live in a draft-04 schema. Walkers recurse only through
 * these keywords, so `$ref` or `description` inside `enum` or `default`
 * values are data, never mistaken for schema.
 */
import { escapePointerToken } from "../load/json.js";

type Visit = (subschema: unknown, pointer: string) => unknown;

const MAP_KEYWORDS = ["properties", "patternProperties", "definitions"] as const;
const LIST_KEYWORDS = ["allOf", "anyOf", "oneOf"] as const;
const SINGLE_KEYWORDS = ["not", "additionalItems", "additionalProperties"] as const;

/** A copy of `node` whose subschemas are replaced by `visit(subschema, pointer)`; other members are copied as they are. */
export function mapSubschemas(node: Readonly<Record<string, unknown>>, pointer: string, visit: Visit): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) {
    const at = `${pointer}/${escapePointerToken(key)}`;
    if ((MAP_KEYWORDS as readonly string[]).includes(key) && isObject(value)) {
      const map: Record<string, unknown> = {};
      for (const [name, sub] of Object.entries(value)) {
        Object.defineProperty(map, name, { value: visit(sub, `${at}/${escapePointerToken(name)}`), enumerable: true, writable: true, configurable: true });
      }
      out[key] = map;
    } else if ((LIST_KEYWORDS as readonly string[]).includes(key) && Array.isArray(value)) {
      out[key] = value.map((sub, i) => visit(sub, `${at}/${i}`));
    } else if (key === "items") {
      out[key] = Array.isArray(value) ? value.map((sub, i) => visit(sub, `${at}/${i}`)) : visit(value, at);
    } else if ((SINGLE_KEYWORDS as readonly string[]).includes(key) && isObject(value)) {
      out[key] = visit(value, at);
    } else if (key === "dependencies" && isObject(value)) {
      const deps: Record<string, unknown> = {};
      for (const [name, dep] of Object.entries(value)) {
        deps[name] = Array.isArray(dep) ? dep : visit(dep, `${at}/${escapePointerToken(name)}`);
      }
      out[key] = deps;
    } else {
      out[key] = value;
    }
  }
  return out;
}

/** Calls `visit` on each direct subschema of `node` (the same places mapSubschemas maps), copying nothing. */
export function forEachSubschema(node: Readonly<Record<string, unknown>>, pointer: string, visit: (subschema: unknown, pointer: string) => void): void {
  for (const [key, value] of Object.entries(node)) {
    const at = `${pointer}/${escapePointerToken(key)}`;
    if ((MAP_KEYWORDS as readonly string[]).includes(key) && isObject(value)) {
      for (const [name, sub] of Object.entries(value)) visit(sub, `${at}/${escapePointerToken(name)}`);
    } else if ((LIST_KEYWORDS as readonly string[]).includes(key) && Array.isArray(value)) {
      value.forEach((sub, i) => visit(sub, `${at}/${i}`));
    } else if (key === "items") {
      if (Array.isArray(value)) value.forEach((sub, i) => visit(sub, `${at}/${i}`));
      else visit(value, at);
    } else if ((SINGLE_KEYWORDS as readonly string[]).includes(key) && isObject(value)) {
      visit(value, at);
    } else if (key === "dependencies" && isObject(value)) {
      for (const [name, dep] of Object.entries(value)) if (!Array.isArray(dep)) visit(dep, `${at}/${escapePointerToken(name)}`);
    }
  }
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

/** The value at a JSON pointer, or undefined. */
export function resolvePointer(document: unknown, pointer: string): unknown {
  if (pointer === "" || pointer === "/") return pointer === "" ? document : (document as Record<string, unknown>)?.[""];
  if (!pointer.startsWith("/")) return undefined;
  let node: unknown = document;
  for (const raw of pointer.slice(1).split("/")) {
    const token = raw.replace(/~1/g, "/").replace(/~0/g, "~");
    if (Array.isArray(node)) node = /^(0|[1-9][0-9]*)$/.test(token) ? node[Number(token)] : undefined;
    else if (isObject(node)) node = Object.prototype.hasOwnProperty.call(node, token) ? node[token] : undefined;
    else return undefined;
    if (node === undefined) return undefined;
  }
  return node;
}
