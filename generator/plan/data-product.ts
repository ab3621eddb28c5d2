/**
 * Snowplow CLI's data product (`resourceType: data-product`, the YAML
 * `snowplow-cli dp download` writes) read as a PlanDocument. What maps:
 * the event (event.source), fixed values (`const`, or an `enum` of one) and
 * lists of values (`enum`) of the event's properties, tracked entities with
 * their cardinalities. What does not (other property keywords, rules on an
 * entity's data, enriched entities, triggers) is said as info: it is not
 * checked at compile time. Like Snowtype, no entity beyond those listed
 * may be attached (additionalEntities false).
 */
import { parseIgluUri } from "@igluc/runtime/iglu";
import type { Diagnostic } from "../diagnostics.js";
import { escapePointerToken } from "../load/pointer.js";
import { MAX_PLAN_ENTITIES, MAX_PLAN_SPECIFICATIONS, MAX_PLAN_VALUES } from "../limits.js";
import type { EntityRule, PlanDocument, PlanPlace, PropertyRule, SpecDocument } from "./model.js";
import { INHERITED_NAMES } from "./format.js";

/** Where the value at a JSON pointer of the plan file is. */
export type PlaceOf = (pointer: string) => PlanPlace;

type Json = Readonly<Record<string, unknown>>;
type Scalar = string | number | boolean | null;

const isObject = (v: unknown): v is Json => v !== null && typeof v === "object" && !Array.isArray(v);
const isScalar = (v: unknown): v is Scalar => v === null || ["string", "number", "boolean"].includes(typeof v);
/** Keywords that restate the schema or only document: nothing is lost by not mapping them. */
const DOCUMENTING = new Set(["type", "description", "title", "$comment", "examples"]);

export function dataProductToPlan(value: Json, file: string, placeOf: PlaceOf): { document?: PlanDocument; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const invalid = (pointer: string, message: string, hint: string): void => {
    diagnostics.push({ level: "error", code: "plan-invalid", ...placeOf(pointer), message, hint });
  };
  const notMapped = (pointer: string, message: string): void => {
    diagnostics.push({ level: "info", code: "plan-not-mapped", ...placeOf(pointer), message, hint: "nothing: igluc does not check it at compile time" });
  };
  const data = value.data;
  if (!isObject(data)) {
    invalid("/data", "a data product needs \"data\", an object", "download the data product again with snowplow-cli, or write igluc's own plan format");
    return { diagnostics };
  }
  const specs = data.eventSpecifications ?? [];
  if (!Array.isArray(specs)) {
    invalid("/data/eventSpecifications", "data.eventSpecifications must be a list", "list the event specifications under data.eventSpecifications");
    return { diagnostics };
  }
  if (specs.length > MAX_PLAN_SPECIFICATIONS) {
    invalid("/data/eventSpecifications", `data.eventSpecifications has more than ${MAX_PLAN_SPECIFICATIONS} members, more than igluc reads`, "split the data product");
    return { diagnostics };
  }
  const specifications: SpecDocument[] = [];
  specs.forEach((spec: unknown, i) => {
    const at = `/data/eventSpecifications/${i}`;
    if (!isObject(spec)) return invalid(at, `data.eventSpecifications[${i}] must be an object`, "an event specification has a name and an event");
    const name = spec.name;
    const event = spec.event;
    const source = isObject(event) ? event.source : undefined;
    if (typeof name !== "string" || name === "") return invalid(`${at}/name`, `data.eventSpecifications[${i}] needs a name`, "give the event specification its name");
    if (typeof source !== "string") return invalid(`${at}/event/source`, `event specification ${JSON.stringify(name)} needs event.source, the event's Iglu URI`, "set event.source to the event schema's Iglu URI");
    for (const member of ["triggers", "sourceApplications"] as const) {
      if (spec[member] !== undefined) notMapped(`${at}/${member}`, `event specification ${JSON.stringify(name)}: ${member} are documentation; not mapped`);
    }
    const properties = propertyRules(isObject(event) ? event.schema : undefined, `${at}/event/schema`, name, placeOf, notMapped, invalid);
    const entities = entityRules(spec.entities, `${at}/entities`, name, placeOf, notMapped, invalid);
    specifications.push({
      name,
      ...(typeof spec.resourceName === "string" ? { id: spec.resourceName } : {}),
      ...(typeof spec.description === "string" ? { description: spec.description } : {}),
      event: { text: source, place: placeOf(`${at}/event/source`) },
      properties, entities, additionalEntities: false, place: placeOf(at),
    });
  });
  // In the file's order, as the own format's problems are.
  diagnostics.sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0));
  if (diagnostics.some((d) => d.level === "error")) return { diagnostics };
  const product = {
    ...(typeof value.resourceName === "string" ? { id: value.resourceName } : {}),
    ...(typeof data.name === "string" ? { name: data.name } : {}),
    ...(typeof data.domain === "string" ? { domain: data.domain } : {}),
  };
  return { document: { file, format: "data-product", ...(Object.keys(product).length > 0 ? { product } : {}), specifications }, diagnostics };
}

type Report = (pointer: string, message: string, hint: string) => void;

/** event.schema's property rules: `const` or an `enum` of one is a fixed value, a longer `enum` a list of values. */
function propertyRules(schema: unknown, at: string, spec: string, placeOf: PlaceOf, notMapped: (p: string, m: string) => void, invalid: Report): Record<string, PropertyRule> {
  const rules: Record<string, PropertyRule> = {};
  if (schema === undefined) return rules;
  if (!isObject(schema)) {
    invalid(at, `event specification ${JSON.stringify(spec)}: event.schema must be an object (a JSON Schema)`, "download the data product again with snowplow-cli");
    return rules;
  }
  const others = Object.keys(schema).filter((k) => k !== "properties" && k !== "additionalProperties" && !DOCUMENTING.has(k));
  if (others.length > 0) notMapped(at, `event specification ${JSON.stringify(spec)}: event.schema's ${others.join(", ")} not checked at compile time`);
  const properties = schema.properties ?? {};
  if (!isObject(properties)) {
    invalid(`${at}/properties`, `event specification ${JSON.stringify(spec)}: event.schema.properties must be an object`, "download the data product again with snowplow-cli");
    return rules;
  }
  if (Object.keys(properties).length > MAX_PLAN_ENTITIES) {
    invalid(`${at}/properties`, `event specification ${JSON.stringify(spec)}: rules on more than ${MAX_PLAN_ENTITIES} properties, more than igluc reads`, "split the event specification");
    return rules;
  }
  for (const [key, rule] of Object.entries(properties)) {
    const ruleAt = `${at}/properties/${escapePointerToken(key)}`;
    if (!isObject(rule)) {
      invalid(ruleAt, `event specification ${JSON.stringify(spec)}: the rule on ${JSON.stringify(key)} must be an object (a JSON Schema)`, "download the data product again with snowplow-cli");
      continue;
    }
    const place = placeOf(ruleAt);
    const values = Object.hasOwn(rule, "const") ? [rule.const] : Array.isArray(rule.enum) ? rule.enum : undefined;
    // Bounded as the own format's enum is: each value becomes a literal type of the generated union.
    if (values !== undefined && values.length > MAX_PLAN_VALUES) {
      invalid(ruleAt, `event specification ${JSON.stringify(spec)}: ${key}'s enum has more than ${MAX_PLAN_VALUES} values, more than igluc reads`, "list fewer values, or leave the enum out of the data product");
      continue;
    }
    const unmapped = Object.keys(rule).filter((k) => k !== "const" && k !== "enum" && !DOCUMENTING.has(k));
    if (values !== undefined && values.length > 0 && values.every(isScalar)) {
      Object.defineProperty(rules, key, {
        enumerable: true,
        value: values.length === 1 ? { kind: "fixed", value: values[0]!, place } : { kind: "oneOf", values, place },
      });
    } else if (values !== undefined) unmapped.unshift(Object.hasOwn(rule, "const") ? "const (not a string, number, boolean or null)" : "enum (empty, or not of strings, numbers, booleans and null)");
    if (unmapped.length > 0) notMapped(ruleAt, `event specification ${JSON.stringify(spec)}: ${key}'s ${unmapped.join(", ")} not checked at compile time`);
  }
  return rules;
}

/** entities.tracked as entity rules, keyed by the schema's name in camelCase (made unique); entities.enriched said and left out. */
function entityRules(entities: unknown, at: string, spec: string, placeOf: PlaceOf, notMapped: (p: string, m: string) => void, invalid: Report): EntityRule[] {
  if (entities === undefined) return [];
  if (!isObject(entities)) {
    invalid(at, `event specification ${JSON.stringify(spec)}: entities must be an object (tracked, enriched)`, "download the data product again with snowplow-cli");
    return [];
  }
  if (Array.isArray(entities.enriched) && entities.enriched.length > 0) {
    notMapped(`${at}/enriched`, `event specification ${JSON.stringify(spec)}: enriched entities are added by the pipeline, not by the tracker; not mapped`);
  }
  const tracked = entities.tracked ?? [];
  if (!Array.isArray(tracked) || tracked.length > MAX_PLAN_ENTITIES) {
    invalid(`${at}/tracked`, `event specification ${JSON.stringify(spec)}: entities.tracked must be a list of at most ${MAX_PLAN_ENTITIES}`, "download the data product again with snowplow-cli");
    return [];
  }
  const keys = new Set<string>();
  const rules: EntityRule[] = [];
  tracked.forEach((entity: unknown, i) => {
    const entityAt = `${at}/tracked/${i}`;
    const source = isObject(entity) ? entity.source : undefined;
    if (!isObject(entity) || typeof source !== "string") return invalid(`${entityAt}/source`, `event specification ${JSON.stringify(spec)}: entities.tracked[${i}] needs source, the entity's Iglu URI`, "set source to the entity schema's Iglu URI");
    const min = entity.minCardinality ?? 0;
    const max = entity.maxCardinality;
    if (typeof min !== "number") return invalid(`${entityAt}/minCardinality`, `event specification ${JSON.stringify(spec)}: minCardinality must be a number`, "a whole number, 0 or more");
    if (max !== undefined && typeof max !== "number") return invalid(`${entityAt}/maxCardinality`, `event specification ${JSON.stringify(spec)}: maxCardinality must be a number`, "a whole number, 1 or more; leave it out for no limit");
    if (entity.schema !== undefined) notMapped(`${entityAt}/schema`, `event specification ${JSON.stringify(spec)}: rules on the data of entity ${source} not checked at compile time`);
    const key = uniqueKey(entityKey(source), keys);
    rules.push({ key, schema: { text: source, place: placeOf(`${entityAt}/source`) }, min, ...(max !== undefined ? { max } : {}), place: placeOf(entityAt) });
  });
  return rules;
}

/** `iglu:…/web_page/jsonschema/1-0-0` → `webPage`: the schema's name in camelCase, an identifier whatever the URI holds. */
export function entityKey(uri: string): string {
  const name = parseIgluUri(uri)?.name ?? "entity";
  const words = name.split(/[^A-Za-z0-9]+/).filter((w) => w !== "");
  const key = words.map((w, i) => (i === 0 ? w.charAt(0).toLowerCase() + w.slice(1) : w.charAt(0).toUpperCase() + w.slice(1))).join("");
  if (key === "") return "entity";
  if (/^[0-9]/.test(key)) return `_${key}`;
  // A schema named like an inherited member (constructor, toString) cannot give its name to the key.
  return (INHERITED_NAMES as readonly string[]).includes(key) ? `${key}Entity` : key;
}

function uniqueKey(key: string, taken: Set<string>): string {
  let unique = key;
  for (let n = 2; taken.has(unique); n++) unique = `${key}${n}`;
  taken.add(unique);
  return unique;
}
