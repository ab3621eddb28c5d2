/**
 * What a new version of a schema changed, and the smallest SchemaVer bump
 * each change needs:
 * - ADDITION: every value valid before is still valid, and keeps its type
 *   (an optional property added where additionalProperties was false, a
 *   loosened bound, a new enum value, a removed format or pattern);
 * - REVISION: some values valid before may now be rejected, but no field
 *   changes its type (an optional property added where other properties
 *   were allowed, so old data may hold it with any type; a tightened bound;
 *   a new pattern or format; additionalProperties turned off);
 * - MODEL: the shape changes (a property added as required or removed; a
 *   type changed, narrowed or widened; enum values removed; a property made
 *   required; a property made nullable, by losing `required` or, when it is
 *   required, gaining null). An optional property is nullable already (its
 *   column is), so null added to its type is an ADDITION.
 *
 * Both schemas come with their `$ref`s resolved. Annotations (description,
 * title, default, examples) change nothing. A change inside anyOf, oneOf,
 * allOf or not that cannot be matched alternative by alternative is assumed
 * to need what its kind of keyword can do at most (see `combinators`).
 */
import { canonicalJson } from "../load/canonical.js";
import { escapePointerToken } from "../load/pointer.js";
import { acceptedTypes } from "../schema/json-types.js";
import { isObject } from "../schema/walk.js";
import { FORMAT_MAX_LENGTH, maxPatternLength } from "./pattern-length.js";
import { compileSchemaRegex, type SchemaRegex } from "./regex.js";

export type Bump = "addition" | "revision" | "model";
export const BUMP_RANK: Readonly<Record<Bump, number>> = { addition: 0, revision: 1, model: 2 };

export interface Change {
  /** Where in the new version the change is (for a removal: the nearest place that still exists). */
  readonly pointer: string;
  /** What changed, as a phrase: `property "x" was removed`. */
  readonly what: string;
  readonly needs: Bump;
}

type Node = Readonly<Record<string, unknown>>;

const UPPER = ["maximum", "maxLength", "maxItems", "maxProperties"] as const;
const LOWER = ["minimum", "minLength", "minItems", "minProperties"] as const;
const RESTRICTIONS = ["pattern", "format", "multipleOf"] as const;

/** A pattern the linear-time engine cannot run, so its answer was assumed. */
export interface UnsupportedPattern {
  readonly pointer: string;
  readonly pattern: string;
  readonly reason: string;
}

export function diffSchemas(before: Node, after: Node): { changes: Change[]; unsupported: UnsupportedPattern[] } {
  const diff = new Diff();
  compare(before, after, "", diff);
  return { changes: diff.changes, unsupported: [...diff.unsupported.values()] };
}

/** The changes found so far, and the schemas' patterns, compiled once each (regex.ts). */
class Diff {
  readonly changes: Change[] = [];
  readonly unsupported = new Map<string, UnsupportedPattern>();
  private readonly compiled = new Map<string, SchemaRegex>();

  push(change: Change): void {
    this.changes.push(change);
  }

  /** Does `pattern` match somewhere in `input`? Undefined when it cannot be run (noted against `pointer`). */
  test(pattern: string, input: string, pointer: string): boolean | undefined {
    let regex = this.compiled.get(pattern);
    if (regex === undefined) {
      regex = compileSchemaRegex(pattern);
      this.compiled.set(pattern, regex);
    }
    if ("test" in regex) return regex.test(input);
    if (!this.unsupported.has(pointer)) this.unsupported.set(pointer, { pointer, pattern, reason: regex.unsupported });
    return undefined;
  }
}

/** `optional`: the node is a property that was not required, so a null in it changes no column's nullability. */
function compare(a: unknown, b: unknown, at: string, out: Diff, optional = false): void {
  if (!isObject(a) || !isObject(b)) {
    if (canonical(a) !== canonical(b)) out.push({ pointer: at, what: "the schema was replaced", needs: "model" });
    return;
  }
  typeChange(a, b, at, out, optional);
  enumChange(a, b, at, out);
  for (const key of UPPER) bound(a, b, key, at, out, (x, y) => y < x);
  for (const key of LOWER) bound(a, b, key, at, out, (x, y) => y > x);
  for (const key of ["exclusiveMaximum", "exclusiveMinimum", "uniqueItems"] as const) {
    if (a[key] !== true && b[key] === true) out.push({ pointer: at, what: `${key} was turned on`, needs: "revision" });
    else if (a[key] === true && b[key] !== true) out.push({ pointer: at, what: `${key} was turned off`, needs: "addition" });
  }
  for (const key of RESTRICTIONS) {
    if (key === "pattern" && typeof b.pattern === "string" && canonical(a.pattern) !== canonical(b.pattern) && enumSatisfies(a, (v) => typeof v !== "string" || out.test(b.pattern as string, v, `${at}/pattern`) === true)) continue;
    if (!Object.hasOwn(a, key) && Object.hasOwn(b, key)) out.push({ pointer: `${at}/${key}`, what: `${key} ${JSON.stringify(b[key])} was added`, needs: "revision" });
    else if (Object.hasOwn(a, key) && !Object.hasOwn(b, key)) out.push({ pointer: at, what: `${key} ${JSON.stringify(a[key])} was removed`, needs: "addition" });
    else if (canonical(a[key]) !== canonical(b[key])) out.push({ pointer: `${at}/${key}`, what: `${key} changed from ${JSON.stringify(a[key])} to ${JSON.stringify(b[key])}`, needs: "revision" });
  }
  // Where one version cannot be an object (or array) at all, the type change above says it all.
  const ta = acceptedTypes(a);
  const tb = acceptedTypes(b);
  if (accepts(ta, "object") && accepts(tb, "object")) objectChange(a, b, at, out);
  if (accepts(ta, "array") && accepts(tb, "array")) arrayChange(a, b, at, out);
  combinators(a, b, at, out);
  if (canonical(a.$ref) !== canonical(b.$ref)) out.push({ pointer: at, what: "a $ref that could not be resolved changed", needs: "model" });
}

const accepts = (types: string[] | undefined, name: string): boolean => types === undefined || types.includes(name);

function typeChange(a: Node, b: Node, at: string, out: Diff, optional: boolean): void {
  const ta = acceptedTypes(a);
  const tb = acceptedTypes(b);
  if (canonical(ta) === canonical(tb)) return;
  const show = (t: string[] | undefined): string => (t === undefined ? "any type" : t.length === 1 ? `"${t[0]}"` : JSON.stringify(t));
  const pointer = Object.hasOwn(b, "type") ? `${at}/type` : at;
  if (ta !== undefined && tb !== undefined && !ta.includes("null") && canonical([...ta, "null"].sort()) === canonical(tb)) {
    out.push(optional
      ? { pointer, what: `optional property, ${show(ta)}, may now also be null`, needs: "addition" }
      : { pointer, what: `the value, ${show(ta)}, may now be null`, needs: "model" });
  } else {
    out.push({ pointer, what: `the type changed from ${show(ta)} to ${show(tb)}`, needs: "model" });
  }
}

/** Changes to enum values; null coming or going is a change of type (typeChange). */
function enumChange(a: Node, b: Node, at: string, out: Diff): void {
  const ea = Array.isArray(a.enum) ? a.enum.map((v) => canonical(v, false)) : undefined;
  const eb = Array.isArray(b.enum) ? b.enum.map((v) => canonical(v, false)) : undefined;
  if (ea === undefined && eb === undefined) return;
  if (ea === undefined) { out.push({ pointer: `${at}/enum`, what: "the values were restricted to an enum", needs: "model" }); return; }
  if (eb === undefined) { out.push({ pointer: at, what: "the enum was removed", needs: "addition" }); return; }
  const removed = ea.filter((v) => v !== "null" && !eb.includes(v));
  const added = eb.filter((v) => v !== "null" && !ea.includes(v));
  if (removed.length > 0) out.push({ pointer: `${at}/enum`, what: `enum values ${removed.join(", ")} were removed`, needs: "model" });
  if (added.length > 0) out.push({ pointer: `${at}/enum`, what: `enum values ${added.join(", ")} were added`, needs: "addition" });
}

function bound(a: Node, b: Node, key: string, at: string, out: Diff, tighter: (before: number, after: number) => boolean): void {
  const x = a[key];
  const y = b[key];
  if (x === y) return;
  const tightened = typeof y === "number" && (typeof x !== "number" || tighter(x, y));
  // A bound every value of the previous version's enum meets, or a maxLength its pattern or format implied, rejects nothing that was valid.
  if (tightened && enumSatisfies(a, (v) => meetsBound(key, v, y))) return;
  if (tightened && key === "maxLength" && impliedMaxLength(a) <= y) return;
  if (typeof y === "number" && typeof x !== "number") out.push({ pointer: `${at}/${key}`, what: `${key} ${y} was added`, needs: "revision" });
  else if (typeof x === "number" && typeof y !== "number") out.push({ pointer: at, what: `${key} ${x} was removed`, needs: "addition" });
  else if (typeof x === "number" && typeof y === "number") {
    out.push(tightened
      ? { pointer: `${at}/${key}`, what: `${key} was tightened from ${x} to ${y}`, needs: "revision" }
      : { pointer: `${at}/${key}`, what: `${key} was loosened from ${x} to ${y}`, needs: "addition" });
  }
}

/** The longest string a node's pattern or format allows anyway (Infinity when they do not bound it). */
function impliedMaxLength(node: Node): number {
  const byPattern = typeof node.pattern === "string" ? maxPatternLength(node.pattern) : Infinity;
  const byFormat = typeof node.format === "string" ? FORMAT_MAX_LENGTH[node.format] ?? Infinity : Infinity;
  return Math.min(byPattern, byFormat);
}

/** The node has an enum, and every value in it passes `test`. */
function enumSatisfies(node: Node, test: (value: unknown) => boolean): boolean {
  return Array.isArray(node.enum) && node.enum.every(test);
}

/** Does `value` meet the bound `key: limit`? Values the keyword does not apply to always do. */
function meetsBound(key: string, value: unknown, limit: number): boolean {
  const size = typeof value === "string" && key.endsWith("Length") ? [...value].length
    : Array.isArray(value) && key.endsWith("Items") ? value.length
      : value !== null && typeof value === "object" && key.endsWith("Properties") ? Object.keys(value).length
        : typeof value === "number" && (key === "maximum" || key === "minimum") ? value
          : undefined;
  if (size === undefined) return true;
  return key.startsWith("max") ? size <= limit : size >= limit;
}

/** How a schema treats properties it does not name: anything, nothing, or values of a schema. */
function extra(node: Node): "any" | "none" | Node {
  const ap = node.additionalProperties;
  return ap === false ? "none" : isObject(ap) ? ap : "any";
}

/** Could data valid against `node` already carry `key` (with values of some other type)? A pattern that cannot be run is taken to match. */
function allowsExtraKey(node: Node, key: string, at: string, out: Diff): boolean {
  if (node.maxProperties === 0) return false;
  if (extra(node) !== "none") return true;
  const patterns = isObject(node.patternProperties) ? Object.keys(node.patternProperties) : [];
  return patterns.some((p) => out.test(p, key, `${at}/patternProperties/${escapePointerToken(p)}`) !== false);
}

function objectChange(a: Node, b: Node, at: string, out: Diff): void {
  const pa = isObject(a.properties) ? a.properties : {};
  const pb = isObject(b.properties) ? b.properties : {};
  const ra = new Set(Array.isArray(a.required) ? a.required.filter((k): k is string => typeof k === "string") : []);
  const rb = new Set(Array.isArray(b.required) ? b.required.filter((k): k is string => typeof k === "string") : []);
  const props = `${at}/properties`;
  const here = (key: string): string => `${props}/${escapePointerToken(key)}`;
  for (const key of Object.keys(pa)) {
    if (!Object.hasOwn(pb, key)) out.push({ pointer: isObject(b.properties) ? props : at, what: `property "${key}" was removed`, needs: "model" });
  }
  for (const [key, value] of Object.entries(pb)) {
    if (!Object.hasOwn(pa, key)) {
      if (rb.has(key)) out.push({ pointer: here(key), what: `property "${key}" was added as required`, needs: "model" });
      else if (allowsExtraKey(a, key, at, out)) {
        out.push({ pointer: here(key), what: `optional property "${key}" was added where the previous version allowed other properties, so earlier data may hold "${key}" with any value`, needs: "revision" });
      } else out.push({ pointer: here(key), what: `optional property "${key}" was added`, needs: "addition" });
      continue;
    }
    if (!ra.has(key) && rb.has(key)) out.push({ pointer: here(key), what: `property "${key}" became required`, needs: "model" });
    if (ra.has(key) && !rb.has(key)) out.push({ pointer: here(key), what: `property "${key}" is no longer required, so it becomes nullable`, needs: "model" });
    compare(pa[key], value, here(key), out, !ra.has(key));
  }
  // Names required without being properties (legal, if odd): any change to them changes which objects are valid.
  for (const key of new Set([...ra, ...rb])) {
    if (Object.hasOwn(pa, key) || Object.hasOwn(pb, key) || ra.has(key) === rb.has(key)) continue;
    out.push({ pointer: Object.hasOwn(b, "required") ? `${at}/required` : at, what: `"${key}" was ${rb.has(key) ? "added to" : "removed from"} required`, needs: "model" });
  }
  const xa = extra(a);
  const xb = extra(b);
  if (isObject(xa) && isObject(xb)) compare(xa, xb, `${at}/additionalProperties`, out);
  // With maxProperties 0 before, no earlier object had any property for the change to reject.
  else if (xa !== xb && a.maxProperties !== 0) {
    const looser = xb === "any" || (xa === "none" && isObject(xb));
    out.push({
      pointer: Object.hasOwn(b, "additionalProperties") ? `${at}/additionalProperties` : at,
      what: `additionalProperties changed from ${describeExtra(xa)} to ${describeExtra(xb)}`, needs: looser ? "addition" : "revision",
    });
  }
  const ppa = isObject(a.patternProperties) ? a.patternProperties : {};
  const ppb = isObject(b.patternProperties) ? b.patternProperties : {};
  for (const key of Object.keys(ppa)) {
    if (!Object.hasOwn(ppb, key)) out.push({ pointer: at, what: `patternProperties "${key}" was removed`, needs: "model" });
  }
  for (const [key, value] of Object.entries(ppb)) {
    const pointer = `${at}/patternProperties/${escapePointerToken(key)}`;
    if (!Object.hasOwn(ppa, key)) out.push({ pointer, what: `patternProperties "${key}" was added`, needs: extra(a) === "none" ? "addition" : "revision" });
    else compare(ppa[key], value, pointer, out);
  }
  if (canonical(a.dependencies) !== canonical(b.dependencies)) {
    out.push({ pointer: Object.hasOwn(b, "dependencies") ? `${at}/dependencies` : at, what: "dependencies changed", needs: "revision" });
  }
}

function describeExtra(x: "any" | "none" | Node): string {
  return x === "any" ? "allowed" : x === "none" ? "false" : "a schema";
}

function arrayChange(a: Node, b: Node, at: string, out: Diff): void {
  const ia = a.items;
  const ib = b.items;
  if (isObject(ia) && isObject(ib)) compare(ia, ib, `${at}/items`, out);
  else if (Array.isArray(ia) && Array.isArray(ib) && ia.length === ib.length) ia.forEach((item, i) => compare(item, ib[i], `${at}/items/${i}`, out));
  else if (ia === undefined && ib !== undefined) out.push({ pointer: `${at}/items`, what: "the items were given a schema", needs: "revision" });
  else if (ia !== undefined && ib === undefined) out.push({ pointer: at, what: "the schema of the items was removed", needs: "addition" });
  else if (canonical(ia) !== canonical(ib)) out.push({ pointer: `${at}/items`, what: "the items changed between one schema and a tuple, or the tuple's length changed", needs: "model" });
  const aa = a.additionalItems;
  const ab = b.additionalItems;
  if (isObject(aa) && isObject(ab)) compare(aa, ab, `${at}/additionalItems`, out);
  else if (canonical(aa) !== canonical(ab)) {
    const looser = ab === undefined || ab === true || (aa === false && isObject(ab));
    out.push({ pointer: Object.hasOwn(b, "additionalItems") ? `${at}/additionalItems` : at, what: "additionalItems changed", needs: looser ? "addition" : "revision" });
  }
}

/**
 * anyOf/oneOf/allOf of equal length are compared alternative by
 * alternative. Otherwise: alternatives only added to an anyOf/oneOf is an
 * ADDITION, any other change to one a MODEL (a value may now take another
 * type); constraints only removed from an allOf is an ADDITION, any other
 * change to one, or to `not`, a REVISION (a type cannot change by adding a
 * constraint).
 */
function combinators(a: Node, b: Node, at: string, out: Diff): void {
  for (const key of ["anyOf", "oneOf", "allOf"] as const) {
    const xa = Array.isArray(a[key]) ? (a[key] as unknown[]) : undefined;
    const xb = Array.isArray(b[key]) ? (b[key] as unknown[]) : undefined;
    if (xa === undefined && xb === undefined) continue;
    const pointer = xb === undefined ? at : `${at}/${key}`;
    if (xa !== undefined && xb !== undefined && xa.length === xb.length) {
      xa.forEach((item, i) => compare(item, xb[i], `${at}/${key}/${i}`, out));
      continue;
    }
    const ca = (xa ?? []).map((v) => canonical(v));
    const cb = (xb ?? []).map((v) => canonical(v));
    if (key === "allOf") {
      const onlyRemoved = cb.every((c) => ca.includes(c));
      out.push({ pointer, what: onlyRemoved ? "allOf lost constraints" : "allOf changed", needs: onlyRemoved ? "addition" : "revision" });
    } else {
      const onlyAdded = xa !== undefined && ca.every((c) => cb.includes(c));
      out.push({ pointer, what: onlyAdded ? `${key} gained alternatives` : `${key} changed`, needs: onlyAdded ? "addition" : "model" });
    }
  }
  if (canonical(a.not) !== canonical(b.not)) out.push({ pointer: Object.hasOwn(b, "not") ? `${at}/not` : at, what: "not changed", needs: "revision" });
}

const ANNOTATIONS = new Set(["description", "title", "default", "examples", "$comment", "id", "definitions", "$schema", "self", "$supersedes", "$supersededBy"]);

/** A JSON text for comparing values: keys sorted and, in schemas (not in data such as enum values), annotations left out. */
function canonical(value: unknown, schema = true): string {
  return canonicalJson(value, schema ? ANNOTATIONS : undefined);
}
