/**
 * The eighteen schema linters of igluctl (schema-ddl), under the same names,
 * with the same levels and the same rule for which may be skipped: an
 * error-level linter never can. Each is applied to every sub-schema the
 * traversal visits (see traverse.ts); `rootObject` and `schemaUri` only to the root.
 *
 * One deliberate difference: igluctl maps the format name "ivp6" instead of
 * "ipv6", so it calls `ipv6` an unknown format and asks such strings for a
 * maxLength; here `ipv6` is a known format.
 */
import type { Code } from "../codes.js";
import { escapePointerToken } from "../load/pointer.js";
import { typeList } from "../schema/json-types.js";
import { isObject } from "../schema/walk.js";
import { META_URI } from "../validate/metaschema.js";

export type Report = (pointer: string, message: string, hint: string) => void;

export interface SchemaLinter {
  /** igluctl's name, used by --skip-checks; its level is the catalogue's (codes.ts). */
  readonly name: Code;
  check(node: Readonly<Record<string, unknown>>, pointer: string, report: Report): void;
}

/** Formats the warehouse loaders know how to size. */
export const KNOWN_FORMATS: ReadonlySet<string> = new Set(["uri", "ipv4", "ipv6", "email", "date-time", "date", "hostname", "uuid"]);
const REDSHIFT_VARCHAR_MAX = 65535;

type Node = Readonly<Record<string, unknown>>;

/** The `type` keyword as a set of names; undefined when absent (or not a type). */
function types(node: Node): ReadonlySet<string> | undefined {
  const list = typeList(node);
  return list === undefined ? undefined : new Set(list);
}
/** The schema declares a type and it includes `name`. */
const withType = (node: Node, name: string): boolean => types(node)?.has(name) === true;
/** The schema declares a type and it excludes `name` (an absent type excludes nothing). */
const withoutType = (node: Node, name: string): boolean => { const t = types(node); return t !== undefined && !t.has(name); };
const num = (value: unknown): number | undefined => (typeof value === "number" ? value : undefined);
const present = (node: Node, keys: readonly string[]): string[] => keys.filter((k) => Object.hasOwn(node, k));
const list = (keys: readonly string[]): string => keys.map((k) => JSON.stringify(k)).join(", ");
const property = (pointer: string, key: string): string => `${pointer}/properties/${escapePointerToken(key)}`;

function bounds(name: Code, low: string, high: string, what: string): SchemaLinter {
  return {
    name,
    check(node, pointer, report) {
      const min = num(node[low]);
      const max = num(node[high]);
      if (min !== undefined && max !== undefined && min > max) {
        report(pointer, `${low} ${min} is greater than ${high} ${max}: no ${what} can be valid`, `lower ${low} or raise ${high}`);
      }
    },
  };
}

function keywordsNeedType(name: Code, keywords: readonly string[], typeNames: readonly string[], kind: string): SchemaLinter {
  return {
    name,
    check(node, pointer, report) {
      const found = present(node, keywords);
      if (found.length === 0 || !typeNames.every((t) => withoutType(node, t))) return;
      report(pointer, `${list(found)} ${found.length > 1 ? "apply" : "applies"} only to ${kind}, but the type ${JSON.stringify(node.type)} does not allow ${kind}`,
        `add ${typeNames.map((t) => JSON.stringify(t)).join(" or ")} to the type, or remove ${list(found)}`);
    },
  };
}

export const LINTERS: readonly SchemaLinter[] = [
  {
    name: "rootObject",
    check(node, pointer, report) {
      if (pointer !== "") return;
      const t = types(node);
      const object = t !== undefined && t.size === 1 && t.has("object");
      if (object && Object.hasOwn(node, "properties")) return;
      report("", object ? "the root schema has no properties" : `the root schema's type is ${JSON.stringify(node.type ?? null)}, not "object"`,
        "an event or entity is loaded as one row: give the root \"type\": \"object\" and its \"properties\"");
    },
  },
  bounds("numericMinimumMaximum", "minimum", "maximum", "number"),
  bounds("stringMinMaxLength", "minLength", "maxLength", "string"),
  {
    name: "stringMaxLengthRange",
    check(node, pointer, report) {
      const max = num(node.maxLength);
      if (withType(node, "string") && max !== undefined && max > REDSHIFT_VARCHAR_MAX) {
        report(pointer, `maxLength ${max} exceeds ${REDSHIFT_VARCHAR_MAX}, the longest Redshift VARCHAR`, `lower maxLength to ${REDSHIFT_VARCHAR_MAX} or less`);
      }
    },
  },
  bounds("arrayMinMaxItems", "minItems", "maxItems", "array"),
  keywordsNeedType("numericProperties", ["multipleOf", "minimum", "maximum"], ["number", "integer"], "numbers"),
  keywordsNeedType("stringProperties", ["maxLength", "minLength", "pattern", "format"], ["string"], "strings"),
  keywordsNeedType("arrayProperties", ["items", "additionalItems", "minItems", "maxItems"], ["array"], "arrays"),
  keywordsNeedType("objectProperties", ["properties", "additionalProperties", "required", "patternProperties"], ["object"], "objects"),
  {
    name: "requiredPropertiesExist",
    check(node, pointer, report) {
      const { additionalProperties, required, properties } = node;
      if (additionalProperties !== false || !Array.isArray(required) || !isObject(properties) || Object.hasOwn(node, "patternProperties")) return;
      required.forEach((key, i) => {
        if (typeof key === "string" && !Object.hasOwn(properties, key)) {
          report(`${pointer}/required/${i}`, `"${key}" is required but not among the properties, and additionalProperties is false: no object can be valid`,
            `add "${key}" to properties, or remove it from required`);
        }
      });
    },
  },
  {
    name: "unknownFormats",
    check(node, pointer, report) {
      const format = node.format;
      if (typeof format === "string" && !KNOWN_FORMATS.has(format)) {
        report(`${pointer}/format`, `format "${format}" is not one the Snowplow loaders know (${[...KNOWN_FORMATS].join(", ")})`,
          "use a known format, or a pattern, or drop the format");
      }
    },
  },
  {
    name: "numericMinMax",
    check(node, pointer, report) {
      if (!withType(node, "number") && !withType(node, "integer")) return;
      const missing = ["minimum", "maximum"].filter((k) => num(node[k]) === undefined);
      if (missing.length > 0) {
        report(pointer, `a number without ${missing.join(" or ")}: the warehouse column gets the widest numeric type`,
          `set ${missing.join(" and ")} (e.g. 0 and 2147483647 for a 32-bit integer)`);
      }
    },
  },
  {
    name: "stringLength",
    check(node, pointer, report) {
      if (!withType(node, "string") || Object.hasOwn(node, "enum") || Object.hasOwn(node, "maxLength")) return;
      const format = node.format;
      if (typeof format === "string" && KNOWN_FORMATS.has(format)) return;
      report(pointer, "a string with no maxLength, enum or known format: nothing bounds its length",
        "set maxLength (what the warehouse column can hold), or an enum or a format");
    },
  },
  {
    name: "optionalNull",
    check(node, pointer, report) {
      const { required, properties } = node;
      if (!Array.isArray(required) || !isObject(properties)) return;
      for (const [key, value] of Object.entries(properties)) {
        if (required.includes(key) || (isObject(value) && withType(value, "null"))) continue;
        report(property(pointer, key), `optional property "${key}" does not allow null`,
          `add "null" to its type (${nullableExample(value)}) so trackers can send it empty`);
      }
    },
  },
  {
    name: "description",
    check(node, pointer, report) {
      if (!Object.hasOwn(node, "description")) report(pointer, "no description", "say what this value means, in a \"description\"");
    },
  },
  {
    name: "schemaUri",
    check(node, pointer, report) {
      if (pointer !== "") return;
      if (!Object.hasOwn(node, "$schema")) report("", "$schema is missing", `add "$schema": "${META_URI}"`);
      else if (node.$schema !== META_URI) report("/$schema", `$schema is ${JSON.stringify(node.$schema)}, not the Iglu metaschema`, `set "$schema": "${META_URI}"`);
    },
  },
  {
    name: "bqDisallowedCharacters",
    check(node, pointer, report) {
      if (!isObject(node.properties)) return;
      for (const key of Object.keys(node.properties)) {
        if (/[^A-Za-z0-9_]/.test(key)) {
          report(property(pointer, key), `property name "${key}" has characters BigQuery does not allow in a column name`,
            "use only letters, digits and underscores, or expect the loader to replace the others with _");
        }
      }
    },
  },
  {
    name: "bqIllegalStart",
    check(node, pointer, report) {
      if (!isObject(node.properties)) return;
      for (const key of Object.keys(node.properties)) {
        if (/^[^A-Za-z_]/.test(key)) {
          report(property(pointer, key), `property name "${key}" does not start with a letter or underscore, as a BigQuery column name must`,
            "start the name with a letter, or expect the loader to prefix it with _");
        }
      }
    },
  },
];

/** How the optionalNull hint shows the fix: the property's own type with "null" added, so an array or object is not told to become a string. */
function nullableExample(value: unknown): string {
  const type = isObject(value) ? value.type : undefined;
  const types = typeof type === "string" ? [type] : Array.isArray(type) ? type.filter((t): t is string => typeof t === "string") : [];
  if (types.length === 0) return "e.g. [\"string\", \"null\"]";
  return `here ${JSON.stringify([...types, "null"]).replaceAll(",", ", ")}`;
}
