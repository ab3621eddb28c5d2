/**
 * A read plan checked against the schemas a run generates, and resolved:
 * each schema reference to one generated Iglu URI (the highest matching a
 * `*` range), each function named. Every check of the plan's own content is
 * here, so generate and lint report the same: unknown schemas or versions,
 * duplicates, function names, cardinalities, values a property's schema
 * forbids, properties it does not declare, a missing id the
 * event_specification entity needs. A specification with an error is left
 * out of the resolved plan (the errors fail the run anyway).
 */
import { createRequire } from "node:module";
import type { ValidateFunction } from "ajv";
import { RE2JS } from "re2js";
import { compareSchemaVer, parseIgluUri, parseSchemaVer, type SchemaVer } from "@igluc/runtime/iglu";
import type { Diagnostic } from "../diagnostics.js";
import { MAX_PLAN_CARDINALITY, MAX_PLAN_FUNCTION_NAME, MAX_PLAN_TUPLE_ELEMENTS } from "../limits.js";
import { ENTITY_KEY_HINT, ENTITY_KEY_PATTERN, FUNCTION_PATTERN, SCHEMA_REF_HINT, SCHEMA_REF_PROBLEM, entityKeyProblem, parseSchemaRef } from "./format.js";
import { capProblems } from "./load.js";
import type { PlanDocument, PlanPlace, ResolvedEntity, ResolvedPlan, ResolvedSpec, SchemaRef, SpecDocument } from "./model.js";

/**
 * The schemas a plan may refer to: those the run generates. Cheap to build
 * from what generate and lint already hold ({@link planSchemasOf}); a
 * schema's JSON is asked for only when a rule on its properties needs it.
 */
export interface PlanSchemas {
  /** Iglu URIs of the generated schemas. */
  readonly uris: readonly string[];
  /** The schema's JSON as written (its own `#/definitions` refs are followed here); undefined when not at hand. */
  json(uri: string): Readonly<Record<string, unknown>> | undefined;
}

/** PlanSchemas of loaded schemas (LoadedSchema has both members). */
export function planSchemasOf(schemas: Iterable<{ readonly uri: string; readonly json: Readonly<Record<string, unknown>> }>): PlanSchemas {
  const byUri = new Map<string, Readonly<Record<string, unknown>>>();
  for (const s of schemas) byUri.set(s.uri, s.json);
  return { uris: [...byUri.keys()], json: (uri) => byUri.get(uri) };
}

export interface ResolveOptions {
  /** Each specification function attaches Snowplow's event_specification entity: every specification needs an id. */
  readonly eventSpecificationEntity?: boolean;
}

export interface PlanResolution {
  readonly plan: ResolvedPlan;
  readonly diagnostics: readonly Diagnostic[];
}

const FUNCTION = new RegExp(FUNCTION_PATTERN);
const ENTITY_KEY = new RegExp(ENTITY_KEY_PATTERN);

export function resolvePlan(document: PlanDocument, schemas: PlanSchemas, options: ResolveOptions = {}): PlanResolution {
  const diagnostics: Diagnostic[] = [];
  const families = familiesOf(schemas.uris);
  const names = new Map<string, SpecDocument>();
  const functions = new Map<string, SpecDocument>();
  const specifications: ResolvedSpec[] = [];
  // Tuple elements the typed counts so far take; once past the bound, no later count is typed.
  let tupleElements = 0;
  let tuplesSpent = false;
  if (options.eventSpecificationEntity === true) checkProduct(document, diagnostics);
  // A data product cannot name a function: its hints say what it can do.
  const own = document.format === "igluc";
  const ownFormat = "write igluc's own plan format, whose function member names it";
  const nameHint = (fix: string): string => (own ? fix : `rename the event specification (letters A-Z, digits and separators make the function's name), or ${ownFormat}`);
  for (const spec of document.specifications) {
    const before = diagnostics.length;
    const report = (code: Diagnostic["code"], place: PlanPlace, message: string, hint: string, level: Diagnostic["level"] = "error"): void => {
      diagnostics.push({ level, code, ...place, message: `specification ${JSON.stringify(cut(spec.name))}: ${message}`, hint });
    };
    const sameName = names.get(spec.name);
    if (sameName !== undefined) report("plan-duplicate", spec.place, `the name is also that of the specification at ${where(sameName.place)}`, "give each specification its own name");
    else names.set(spec.name, spec);

    const functionName = spec.functionName ?? defaultFunctionName(spec.name);
    if (functionName === undefined) {
      report("plan-function-name", spec.place, "no function name can be made of its name (it needs letters A-Z or digits, and no others)", nameHint("set function to an identifier like trackAddToBasket"));
    } else if (functionName.length > MAX_PLAN_FUNCTION_NAME) {
      report("plan-function-name", spec.place, `its function ${cut(functionName)} is ${functionName.length} characters long, longer than the ${MAX_PLAN_FUNCTION_NAME} igluc generates`, nameHint("set function to a shorter name, like trackAddToBasket"));
    } else if (!FUNCTION.test(functionName)) {
      report("plan-function-name", spec.place, `function ${JSON.stringify(functionName)} is not an identifier starting with track`, nameHint("set function to an identifier like trackAddToBasket"));
    } else if (sameName === undefined) {
      const other = functions.get(functionName);
      if (other !== undefined) report("plan-duplicate", spec.place, `its function ${functionName} is also that of specification ${JSON.stringify(other.name)}`, own ? "set function on one of them to another name" : `rename one of them, or ${ownFormat}`);
      else functions.set(functionName, spec);
    }

    if (options.eventSpecificationEntity === true && (spec.id === undefined || spec.id === "")) {
      report("plan-spec-id", spec.place, "no id, and eventSpecificationEntity attaches the event specification's id to each event", "give the specification its id (Snowplow's tooling shows it), or turn eventSpecificationEntity off");
    } else if (options.eventSpecificationEntity === true) {
      for (const [field, value, max] of [["id", spec.id, 254], ["name", spec.name, 256]] as const) {
        const length = value === undefined ? 0 : [...value].length;
        if (length > max) report("plan-spec-id", spec.place, `its ${field} is ${length} characters long, and the event_specification entity it goes in allows 1 to ${max} characters`, "shorten it");
      }
    }

    checkNumbers(spec, report);
    const event = resolveRef(spec.event, families, (place, message, hint) => report("plan-unknown-schema", place, message, hint));
    if (event !== undefined) checkProperties(spec, event, schemas, report);

    const entities: ResolvedEntity[] = [];
    const keys = new Map<string, PlanPlace>();
    const uris = new Map<string, string>();
    for (const entity of spec.entities) {
      const sameKey = keys.get(entity.key);
      if (sameKey !== undefined) report("plan-duplicate", entity.place, `entity key ${entity.key} is listed twice`, "give each entity its own key");
      // The own format's schema checks keys; a document built in code is checked here, as generated code takes entities under them.
      if (!ENTITY_KEY.test(entity.key)) report("plan-invalid", entity.place, entityKeyProblem(entity.key, "entity key"), ENTITY_KEY_HINT);
      keys.set(entity.key, entity.place);
      checkCardinality(entity.key, entity.min, entity.max, entity.place, report);
      const uri = resolveRef(entity.schema, families, (place, message, hint) => report("plan-unknown-schema", place, message, hint));
      if (uri === undefined) continue;
      const sameSchema = uris.get(uri);
      if (sameSchema !== undefined) {
        report("plan-duplicate", entity.schema.place, `entities ${sameSchema} and ${entity.key} are both ${uri}`, "list each entity schema once, with the cardinality it has");
      } else uris.set(uri, entity.key);
      const { schema: _ref, ...rule } = entity;
      entities.push({ ...rule, uri });
    }

    if (diagnostics.slice(before).some((d) => d.level === "error") || event === undefined || functionName === undefined) continue;
    const counted = entities.map((entity): ResolvedEntity => {
      const cost = tupleCost(entity);
      if (cost === 0) return entity;
      if (!tuplesSpent && tupleElements + cost <= MAX_PLAN_TUPLE_ELEMENTS) {
        tupleElements += cost;
        return entity;
      }
      // Said once: every later count is an array too.
      if (!tuplesSpent) {
        report("plan-cardinality-unchecked", entity.place,
          `entity ${entity.key}: typing its count would take the plan's tuple elements past ${MAX_PLAN_TUPLE_ELEMENTS} (each count up to ${MAX_PLAN_CARDINALITY} is a union of tuples), more than tsc is given: its type, and that of every later entity with a count, is an array of any length`,
          "keep fewer entities with an upper bound, or split the plan", "warning");
      }
      tuplesSpent = true;
      return { ...entity, unchecked: true };
    });
    const { event: _event, entities: _entities, functionName: _function, ...rest } = spec;
    specifications.push({ ...rest, functionName, namedFunction: spec.functionName !== undefined, uri: event, entities: counted });
  }
  return {
    plan: { file: document.file, ...(document.product !== undefined ? { product: document.product } : {}), specifications },
    diagnostics: capProblems(diagnostics, document.file),
  };
}

/**
 * The data product's fields as the event_specification entity (1-0-3) takes them: 1 to 256 characters
 * (its schema's minLength and maxLength, in code points as a validator counts them). Beyond, or empty, the
 * pipeline would fail every event carrying the entity.
 */
function checkProduct(document: PlanDocument, diagnostics: Diagnostic[]): void {
  const pointers = document.format === "igluc" ? { id: "/id", name: "/name", domain: "/domain" } : { id: "/resourceName", name: "/data/name", domain: "/data/domain" };
  for (const field of ["id", "name", "domain"] as const) {
    const value = document.product?.[field];
    if (value === undefined) continue;
    const length = [...value].length;
    if (length >= 1 && length <= 256) continue;
    diagnostics.push({
      level: "error", code: "plan-spec-id", file: document.file, pointer: pointers[field],
      message: `the data product's ${field} ${length === 0 ? "\"\" is empty" : `is ${length} characters long`}, and the event_specification entity it goes in allows 1 to 256 characters`,
      hint: "give it a value of 1 to 256 characters, or leave it out",
    });
  }
}

/** Element types the entity's count takes in generated code (emit/specifications.ts shapeOf): 0 for one value, an array, or a bound above MAX_PLAN_CARDINALITY. */
function tupleCost(e: ResolvedEntity): number {
  if (e.max === 1 || e.min > MAX_PLAN_CARDINALITY || (e.max ?? 0) > MAX_PLAN_CARDINALITY) return 0;
  if (e.max === undefined) return e.min === 0 ? 0 : e.min + 1;
  let cost = 0;
  for (let n = e.min; n <= e.max; n++) cost += Math.max(n, 1);
  return cost;
}

/** A text as messages quote it: its first 80 characters (code points), and … when there are more. */
function cut(text: string): string {
  const start = Array.from(text.slice(0, 162)).slice(0, 81);
  return start.length > 80 ? `${start.slice(0, 80).join("")}…` : start.join("");
}

/**
 * `Add to basket` → `trackAddToBasket`: the name's words (runs of A-Z, a-z,
 * 0-9) in PascalCase. Undefined when it has none, or has letters or digits
 * outside those: dropping them would make a name nobody wrote.
 */
export function defaultFunctionName(name: string): string | undefined {
  if (/[^\p{ASCII}](?<=[\p{L}\p{N}])/u.test(name)) return undefined;
  const words = name.split(/[^A-Za-z0-9]+/).filter((w) => w !== "");
  return words.length === 0 ? undefined : `track${words.map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join("")}`;
}

interface Version { readonly uri: string; readonly ver: SchemaVer }

/** Generated JSON Schemas by vendor/name, each family's versions highest first. */
function familiesOf(uris: readonly string[]): Map<string, Version[]> {
  const families = new Map<string, Version[]>();
  for (const uri of uris) {
    const key = parseIgluUri(uri);
    const ver = key === undefined ? undefined : parseSchemaVer(key.version);
    if (key === undefined || ver === undefined || key.format !== "jsonschema") continue;
    const family = `${key.vendor}/${key.name}`;
    families.set(family, [...(families.get(family) ?? []), { uri, ver }]);
  }
  for (const versions of families.values()) versions.sort((a, b) => compareSchemaVer(b.ver, a.ver));
  return families;
}

/** The generated URI a reference names: itself, or the highest version matching its `*`s. */
function resolveRef(ref: SchemaRef, families: Map<string, Version[]>, unknown: (place: PlanPlace, message: string, hint: string) => void): string | undefined {
  const parts = parseSchemaRef(ref.text);
  if (parts === undefined) {
    unknown(ref.place, `${JSON.stringify(ref.text)} ${SCHEMA_REF_PROBLEM}`, SCHEMA_REF_HINT);
    return undefined;
  }
  const { vendor, name, model, revision, addition } = parts;
  const versions = families.get(`${vendor}/${name}`) ?? [];
  const match = versions.find(({ ver }) => ver.model === model &&
    (revision === "*" || ver.revision === revision) && (addition === "*" || ver.addition === addition));
  if (match !== undefined) return match.uri;
  const listed = versions.map(({ uri }) => uri.slice(uri.lastIndexOf("/") + 1)).reverse();
  unknown(ref.place, versions.length === 0
    ? `${ref.text} is not among the generated schemas: no version of ${vendor}/${name} is generated`
    : `${ref.text} is not among the generated schemas; the generated versions of ${vendor}/${name} are ${listed.join(", ")}`,
  versions.length === 0 ? "check the URI, or generate the schema (schemas, registries, include and exclude)" : "refer to one of those versions, or generate the one meant (pin, versions: all)");
  return undefined;
}

type Report = (code: Diagnostic["code"], place: PlanPlace, message: string, hint: string, level?: Diagnostic["level"]) => void;

function checkCardinality(key: string, min: number, max: number | undefined, place: PlanPlace, report: Report): void {
  const hint = "min is how many the event must carry (0: optional); max how many it may (none: no limit)";
  if (!Number.isInteger(min) || (max !== undefined && !Number.isInteger(max))) {
    return report("plan-cardinality", place, `entity ${key}: min and max must be whole numbers (min ${min}${max === undefined ? "" : `, max ${max}`})`, hint);
  }
  if (min < 0) return report("plan-cardinality", place, `entity ${key}: min ${min} is below 0`, hint);
  if (max !== undefined && max < 1) return report("plan-cardinality", place, `entity ${key}: max ${max} is below 1; an entity the event must not carry is one left out of the list`, "remove the entity from the specification (additionalEntities false keeps it out)");
  if (max !== undefined && min > max) return report("plan-cardinality", place, `entity ${key}: min ${min} is above max ${max}`, hint);
  if (min > MAX_PLAN_CARDINALITY || (max ?? 0) > MAX_PLAN_CARDINALITY) {
    report("plan-cardinality-unchecked", place, `entity ${key}: a bound above ${MAX_PLAN_CARDINALITY} is not checked: its type is an array of any length, and the tracker does not count at run time either`,
      `keep min and max at ${MAX_PLAN_CARDINALITY} or below to have them checked by tsc`, "warning");
  }
}

/**
 * Numbers a rule may name: finite (YAML's .inf and .nan, JSON's 1e400, would become the identifiers
 * `Infinity` and `NaN` in generated types, and null on the wire), and whole ones within 2^53 (beyond,
 * the value read is not the value written, and the event would carry another).
 */
function checkNumbers(spec: SpecDocument, report: Report): void {
  for (const rule of Object.values(spec.properties)) {
    for (const value of rule.kind === "fixed" ? [rule.value] : rule.values) {
      if (!unsendable(value)) continue;
      if (typeof value === "number" && !Number.isFinite(value)) {
        report("plan-value", rule.place, `${String(value)} is not a number JSON can carry (it would be sent as null)`, "write a finite number");
      } else {
        report("plan-value", rule.place, `a whole number beyond 2^53 (read as ${JSON.stringify(value)}) is not held exactly by JavaScript: the event would not carry the number written`,
          `keep whole numbers between ${-Number.MAX_SAFE_INTEGER} and ${Number.MAX_SAFE_INTEGER}, or make the property a string`);
      }
    }
  }
}

/** A number checkNumbers refuses (not finite, or whole beyond 2^53): not judged again against the schema. */
function unsendable(value: unknown): boolean {
  return typeof value === "number" && (!Number.isFinite(value) || (Number.isInteger(value) && !Number.isSafeInteger(value)));
}

/** Property rules against the event schema: a declared property (or any, when others are allowed), and values its subschema accepts. */
function checkProperties(spec: SpecDocument, uri: string, schemas: PlanSchemas, report: Report): void {
  const rules = Object.entries(spec.properties);
  if (rules.length === 0) return;
  const root = schemas.json(uri);
  if (root === undefined) return;
  const properties = isObject(root.properties) ? root.properties : {};
  const known = Object.keys(properties);
  const listed = `its properties: ${known.slice(0, 20).join(", ")}${known.length > 20 ? ", …" : ""}`;
  // The generated type takes other properties (an index signature) only where the schema says so
  // (normalize/prepare.ts): additionalProperties true or a schema, patternProperties, or an object
  // type that says nothing of its properties. Otherwise `{ ...data, b: 1 }` is an excess property, a tsc error.
  const extra = root.additionalProperties;
  const typeList = typeof root.type === "string" ? [root.type] : Array.isArray(root.type) ? root.type : [];
  const takesOthers = extra === true || isObject(extra) || isObject(root.patternProperties) ||
    (extra === undefined && root.properties === undefined && typeList.includes("object"));
  // A choice of shapes at the top: the generated type is a union, and trackX's Omit<Event, "k"> keeps only the
  // members every shape has, so { ...data, k: v } misses the others' required ones, a tsc error.
  const choice = Array.isArray(root.oneOf) ? "oneOf" : Array.isArray(root.anyOf) ? "anyOf" : undefined;
  for (const [name, rule] of rules) {
    if (choice !== undefined && rule.kind === "fixed" && (Object.hasOwn(properties, name) || takesOthers)) {
      report("plan-fixed-union", rule.place, `${uri} is a choice of shapes (${choice} at its top level): a value the generated function fills in cannot pick the shape the rest of the data must have`,
        `list it instead, { enum: [${JSON.stringify(rule.value)}] }: the caller passes it, in the shape it goes with`);
      continue;
    }
    if (!Object.hasOwn(properties, name)) {
      if (extra === false) {
        report("plan-unknown-property", rule.place, `${uri} declares no property ${JSON.stringify(name)}, and allows no other`,
          known.length === 0 ? "the event has no properties to fix" : listed);
      } else if (!takesOthers) {
        report("plan-unknown-property", rule.place, `${uri} declares no property ${JSON.stringify(name)} at its top level, and its generated type takes no other (it does not set additionalProperties)`,
          known.length === 0 ? "the event has no top-level properties to fix" : listed);
      }
      // Another property is checked against additionalProperties when that is a schema (patternProperties are not matched here).
      if (!isObject(extra) || isObject(root.patternProperties)) continue;
    }
    let byName = compiled.get(root);
    if (byName === undefined) compiled.set(root, byName = new Map());
    if (!byName.has(name)) byName.set(name, validatorOf(root, Object.hasOwn(properties, name) ? properties[name] : extra, schemas));
    const validate = byName.get(name);
    if (validate === undefined) continue;
    const values = rule.kind === "fixed" ? [rule.value] : rule.values;
    for (const value of values) {
      if (unsendable(value) || validate(value)) continue;
      const why = validate.errors?.[0]?.message ?? "not valid";
      const subschema = Object.hasOwn(properties, name) ? properties[name] : extra;
      const allowed = isObject(subschema) && Array.isArray(subschema.enum) ? `; it allows ${subschema.enum.map((v) => JSON.stringify(v)).join(", ")}` : "";
      report("plan-value", rule.place, `${JSON.stringify(value)} is not a value ${uri} allows for ${name} (${why})`, `use a value the schema allows${allowed}`);
    }
  }
}

type Ajv04 = import("ajv-draft-04").default;
let ajv: Ajv04 | undefined;
/**
 * Patterns run by RE2 (re2js), in time linear in the value: both the
 * pattern (a schema) and the value (a plan) are untrusted, and `^(a+)+$`
 * against 40 a's would hold a backtracking engine for minutes. A pattern
 * RE2 cannot take (lookaround, backreferences) throws, and that property's
 * values go unchecked.
 */
const regExp = Object.assign((pattern: string, flags: string) => {
  const compiled = RE2JS.compile(RE2JS.translateRegExp(pattern));
  // ajv keeps one compiled pattern per toString(): it must differ per pattern.
  return { test: (input: string) => compiled.test(input), toString: () => `/${pattern}/${flags}` };
}, { code: "re2js" });
/** Compiled once per event schema and property: many specifications fix values of the same event. */
const compiled = new WeakMap<object, Map<string, ValidateFunction | undefined>>();

/** Other schemas a property's subschema refers to through `iglu:` refs, and those they refer to, that the run generates. */
const MAX_REFERENCED = 100;
function referenced(start: readonly unknown[], schemas: PlanSchemas): Map<string, Readonly<Record<string, unknown>>> {
  const found = new Map<string, Readonly<Record<string, unknown>>>();
  const stack = [...start];
  // Iterative, and bounded: schemas are untrusted, and a node may be reached many times.
  for (let visited = 0; stack.length > 0 && visited < 200_000; visited++) {
    const node = stack.pop();
    if (Array.isArray(node)) stack.push(...node);
    else if (isObject(node)) {
      const ref = node.$ref;
      if (typeof ref === "string" && ref.startsWith("iglu:")) {
        const uri = ref.split("#")[0]!;
        const json = found.has(uri) || found.size >= MAX_REFERENCED ? undefined : schemas.json(uri);
        if (json !== undefined) {
          found.set(uri, json);
          stack.push(json);
        }
      }
      for (const [key, value] of Object.entries(node)) if (key !== "$ref" && typeof value === "object") stack.push(value);
    }
  }
  return found;
}

/**
 * The property's subschema compiled, its `#/definitions/…` refs pointing into the event schema and its
 * `iglu:` refs to the generated schemas (a value unchecked there could make trackX a tsc error); undefined
 * when it cannot be (a ref to a schema not at hand): no check.
 */
function validatorOf(root: Readonly<Record<string, unknown>>, subschema: unknown, schemas: PlanSchemas): ValidateFunction | undefined {
  if (!isObject(subschema)) return undefined;
  if (ajv === undefined) {
    // Loaded on first use, as the draft-04 validators elsewhere (emit/validator.ts): same options, so a value is judged as there.
    const Ajv = createRequire(import.meta.url)("ajv-draft-04") as typeof import("ajv-draft-04").default;
    ajv = new Ajv({ allErrors: false, strict: false, validateSchema: false, addUsedSchema: false, logger: false, ownProperties: true, validateFormats: false, code: { regExp } });
  }
  const others = referenced([subschema, root.definitions], schemas);
  try {
    // Added under their Iglu URIs for this compilation only: another run may hold other texts for them.
    for (const [uri, json] of others) {
      // Keyed by its Iglu URI only: an `id` would stay registered after removeSchema, and clash next time.
      const { $schema: _meta, id: _id, ...schema } = json;
      ajv.addSchema(schema, uri);
    }
    return ajv.compile({ ...(isObject(root.definitions) ? { definitions: root.definitions } : {}), allOf: [subschema] });
  } catch {
    return undefined;
  } finally {
    for (const uri of others.keys()) ajv.removeSchema(uri);
  }
}

function isObject(value: unknown): value is Readonly<Record<string, unknown>> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

function where(place: PlanPlace): string {
  return place.line === undefined ? place.pointer || "the top" : `line ${place.line}`;
}
